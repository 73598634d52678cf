import { chromium, type Browser } from 'playwright-core';

const CHROMIUM = process.env.IB_CHROMIUM ?? '/usr/bin/chromium';
// As the machine notes say: root needs --no-sandbox, and the closed network wants no background traffic.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The machine's Chromium, offline, for the HTML pages' e2e tests. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
