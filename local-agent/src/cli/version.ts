import { readFileSync } from "node:fs";

/** The package's version; src/cli and dist/cli are both two levels below package.json. */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
  return pkg.version ?? "unknown";
}
