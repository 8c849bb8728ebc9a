/** Tool categories and the modes that bundle them; a session sees only its mode's tools. */
export const CATEGORIES = [
  "core",
  "comm",
  "portal",
  "worktree",
  "health",
  "discovery",
  "voting",
  "interrupt",
  "cost",
  "auth",
  "ratelimit",
  "encryption",
] as const;
export type Category = (typeof CATEGORIES)[number];

export const MODES = ["full", "parallel", "standard", "minimal", "solo", "custom"] as const;
export type Mode = (typeof MODES)[number];
export const DEFAULT_MODE: Mode = "standard";

/** `core` is in every mode: it holds masc_switch_mode, the way back out. */
export const MODE_CATEGORIES: Record<Exclude<Mode, "custom">, readonly Category[]> = {
  full: CATEGORIES,
  parallel: ["core", "comm", "portal", "discovery", "voting", "interrupt"],
  standard: ["core", "comm", "worktree", "health"],
  minimal: ["core", "health"],
  solo: ["core", "worktree"],
};

export const MODE_DESCRIPTIONS: Record<Mode, string> = {
  full: "All features",
  parallel: "Multi-agent heavy: core + comm + portal + discovery + voting + interrupt",
  standard: "Default: core + comm + worktree + health",
  minimal: "Solo work: core + health only",
  solo: "Single-agent: core + worktree",
  custom: "The categories you chose (core is always included)",
};

export function categoriesFor(mode: Mode, custom: readonly Category[] = []): Category[] {
  const chosen = mode === "custom" ? custom : MODE_CATEGORIES[mode];
  return CATEGORIES.filter((c) => c === "core" || chosen.includes(c));
}
