import { CATEGORIES, type Category, MODE_DESCRIPTIONS, MODES, type Mode } from "./modes";
import { toolsFor } from "./registry";

/** What masc_get_config and masc_switch_mode report about a session's mode. */
export function modeConfig(mode: Mode, enabled: readonly Category[]) {
  return {
    mode,
    mode_description: MODE_DESCRIPTIONS[mode],
    enabled_categories: enabled,
    disabled_categories: CATEGORIES.filter((c) => !enabled.includes(c)),
    enabled_tool_count: toolsFor(enabled).length,
    available_modes: MODES.map((m) => ({ mode: m, description: MODE_DESCRIPTIONS[m] })),
  };
}
