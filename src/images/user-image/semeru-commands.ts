import { CHECKPOINT_PHASES, type CheckpointPhase } from '../../scenario/variants.js';
import { restorePrivilege } from '../../engine/capabilities.js';
import { hostFlags, type EngineFlags } from '../../engine/host-flags.js';
import { runArgv } from '../../engine/podman-argv.js';

export interface SemeruCommands {
  readonly build: string[];
  readonly checkpoint: Record<CheckpointPhase, { run: string[]; commit: string[]; remove: string[] }>;
  readonly restore: string[];
  readonly cold: string[];
}

/** A `podman run` for display: the environment inline (NAME=VALUE), as a user would type it. */
function shown(flags: EngineFlags, spec: Parameters<typeof runArgv>[1]): string[] {
  const { args } = runArgv(flags, { ...spec, env: {} });
  const at = args.indexOf(spec.image);
  const env = Object.entries(spec.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
  return ['podman', ...args.slice(0, at), ...env, ...args.slice(at)];
}

/** The semeru profile's podman commands: the documented three-step flow and the measured starts. */
export function semeruCommands(
  scenario: { readonly name: string },
  flags: EngineFlags,
  tag: string,
  contextDir: string,
): SemeruCommands {
  const checkpoint = (phase: CheckpointPhase): { run: string[]; commit: string[]; remove: string[] } => {
    const name = `ib-checkpoint-${scenario.name}-${phase.toLowerCase()}`;
    return {
      run: shown(flags, {
        name,
        image: tag,
        labels: {},
        privilege: { kind: 'privileged' },
        env: { WLP_CHECKPOINT: phase },
      }),
      commit: ['podman', 'commit', '--change', 'ENV WLP_CHECKPOINT=', name, `${tag}-instanton-${phase.toLowerCase()}`],
      remove: ['podman', 'rm', name],
    };
  };
  const least = restorePrivilege('least-privilege');
  return {
    // The official image is pulled from its registry; everything after runs local images only.
    build: ['podman', 'build', ...hostFlags(flags), '--tag', tag, '--file', `${contextDir}/Containerfile`, contextDir],
    checkpoint: Object.fromEntries(CHECKPOINT_PHASES.map((phase) => [phase, checkpoint(phase)])) as Record<
      CheckpointPhase,
      ReturnType<typeof checkpoint>
    >,
    // The images run the server as uid 1001 with CRIU's file capabilities: the documented
    // restore set is CHECKPOINT_RESTORE and SETPCAP plus the syscalls the default seccomp
    // profile blocks; this profile adds the same five capabilities measured on `local`.
    restore: shown(flags, {
      name: `ib-restore-${scenario.name}`,
      image: `${tag}-instanton-PHASE`,
      labels: {},
      privilege: least.kind === 'capabilities' ? { ...least, seccompUnconfined: true } : least,
    }),
    cold: shown(flags, { name: `ib-cold-${scenario.name}`, image: tag, labels: {} }),
  };
}
