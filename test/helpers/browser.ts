import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { expect } from "vitest";

/** Debian's Chromium; CI installs it (`./run test`), CHROMIUM_PATH points elsewhere. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Headless Chromium for the browser tests. A missing browser is a failure, not a skip. */
export function launchChromium(): Promise<Browser> {
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`).toBe(true);
  return chromium.launch({
    executablePath: CHROMIUM,
    // Without the background-networking flag Chromium keeps dialling hosts this machine cannot reach.
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}
