import { CATEGORIES, type Category, MODE_DESCRIPTIONS, MODES, type Mode } from "./modes";

/**
 * How many tools a mode lists. The registry hands it to the tools that report it: it lists those
 * very tools, so they cannot import it.
 */
export type ListedCount = (mode: Mode, enabled: readonly Category[]) => number;

/** What masc_get_config and masc_switch_mode report about a session's mode. */
export function modeConfig(mode: Mode, enabled: readonly Category[], listedCount: ListedCount) {
  return {
    mode,
    mode_description: MODE_DESCRIPTIONS[mode],
    enabled_categories: enabled,
    disabled_categories: CATEGORIES.filter((c) => !enabled.includes(c)),
    enabled_tool_count: listedCount(mode, enabled),
    note: "every tool is callable in every mode; the mode only decides what tools/list shows",
    available_modes: MODES.map((m) => ({ mode: m, description: MODE_DESCRIPTIONS[m] })),
  };
}
