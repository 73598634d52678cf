#!/usr/bin/env node
// The only place that sets the exit code (house rule 4).
import { runCli } from '../dist/cli/main.js';
import { nodeIo } from '../dist/core/io.js';

const code = await runCli(process.argv.slice(2), nodeIo());
process.exitCode = code;
