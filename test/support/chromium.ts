/** The Chromium the browser tests drive through playwright-core: where it is, why they skip without it, and how it starts. */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** The first browser installed of Debian's Chromium (what .ci/run installs) and its usual stand-ins. */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));

/** A test's `skip`: false when there is a browser, else why not. */
export const chromiumSkip: string | false = CHROMIUM === undefined ? 'Chromium is not installed (.ci/run installs Debian chromium)' : false;

/** Starts the browser headless, with what a container and a quiet run need (no sandbox, no GPU, no calls home). */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
