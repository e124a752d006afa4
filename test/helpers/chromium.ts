/**
 * Finds a Chromium for the browser tests: `CHROMIUM_PATH`, else Debian's `chromium` package (`.ci/run` installs it
 * with apt-get when it is missing), else another usual install.
 */
import { existsSync } from 'node:fs';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
];

/** The path of a Chromium executable, or undefined when none is installed. */
export function findChromium(): string | undefined {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return configured;
  return CANDIDATES.find((path) => existsSync(path));
}

/** Why a browser test is skipped on a machine without Chromium, and how to get one. */
export const NO_CHROMIUM =
  "no Chromium found: install Debian's package (`apt-get install chromium`, which .ci/run does) or set CHROMIUM_PATH";
