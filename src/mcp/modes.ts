/**
 * Tool categories and the modes that bundle them. A mode decides only what tools/list shows (to save
 * the model tokens); every tool stays callable whatever the mode.
 */
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

/** `core` is in every mode. */
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
  standard: "Default: the tools agents use most (tasks, messages, locks, worktrees, approvals)",
  minimal: "Fewest tokens: join, tasks, done, broadcast, messages",
  solo: "Single-agent: core + worktree",
  custom: "The categories you chose (core is always included)",
};

/**
 * Modes that list a hand-picked set of tools instead of whole categories: what agents call most.
 * Their categories still say which features the mode is about (masc_get_config reports them).
 */
const MINIMAL_TOOLS = [
  "masc_join",
  "masc_status",
  "masc_add_task",
  "masc_tasks",
  "masc_claim_next",
  "masc_done",
  "masc_broadcast",
  "masc_messages",
];
export const MODE_TOOLS: Partial<Record<Exclude<Mode, "custom">, readonly string[]>> = {
  minimal: MINIMAL_TOOLS,
  standard: [
    ...MINIMAL_TOOLS,
    "masc_leave",
    "masc_claim",
    "masc_transition",
    "masc_release",
    "masc_listen",
    "masc_who",
    "masc_lock",
    "masc_unlock",
    "masc_heartbeat",
    "masc_interrupt",
    "masc_switch_mode",
    "masc_worktree_create",
    "masc_worktree_remove",
  ],
};

export function categoriesFor(mode: Mode, custom: readonly Category[] = []): Category[] {
  const chosen = mode === "custom" ? custom : MODE_CATEGORIES[mode];
  return CATEGORIES.filter((c) => c === "core" || chosen.includes(c));
}

/** URL modes: every mode but custom, which needs a category list only masc_switch_mode takes. */
export const URL_MODES = MODES.filter((m) => m !== "custom");

/** The mode a URL asks for (`?mode=minimal`): the default when absent, an error text when unknown. */
export function modeOfUrl(url: string): { mode: Exclude<Mode, "custom"> } | { error: string } {
  // Most URLs carry no query at all: no parse for them.
  const raw = url.includes("?") ? new URL(url).searchParams.get("mode") : null;
  if (raw === null || raw === "") return { mode: DEFAULT_MODE as Exclude<Mode, "custom"> };
  if ((URL_MODES as readonly string[]).includes(raw)) return { mode: raw as Exclude<Mode, "custom"> };
  return { error: `mode: '${raw.slice(0, 40)}' is not a mode; use one of ${URL_MODES.join(", ")}` };
}

/** What both protocol eras tell a client at connect: how to start, and that unlisted tools still work. */
export const INSTRUCTIONS =
  "masc coordinates several agents in one room: join with masc_join (again first after any restart: it answers with what you still hold), take work with masc_claim_next, finish with masc_done, talk with masc_broadcast. Every masc tool is callable whatever the mode lists (e.g. masc_search, masc_portal_open, masc_vote_create, masc_approve); ?mode=full on the URL lists them all.";
