import { parseArgs } from "node:util";

export interface SoakOptions {
  minutes: number;
  agents: number;
  /** Seconds between two kill -9 of the server. */
  killEvery: number;
}

export const USAGE = "usage: ./run soak [--minutes N] [--agents N] [--kill-every S]  (defaults 60, 50, 300)";

function positive(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new Error(`--${name} must be a number from ${min} to ${max}, got '${raw}'\n${USAGE}`);
  return n;
}

/** `./run soak` flags; a bad value names the flag and what it accepts. */
export function parseSoakArgs(argv: readonly string[]): SoakOptions | "help" {
  let values: { minutes: string; agents: string; "kill-every": string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        minutes: { type: "string", default: "60" },
        agents: { type: "string", default: "50" },
        "kill-every": { type: "string", default: "300" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${USAGE}`);
  }
  if (values.help) return "help";
  return {
    minutes: positive("minutes", values.minutes, 0.1, 24 * 60),
    agents: Math.round(positive("agents", values.agents, 2, 200)),
    killEvery: positive("kill-every", values["kill-every"], 5, 24 * 3600),
  };
}
