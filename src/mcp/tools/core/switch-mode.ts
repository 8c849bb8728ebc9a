import * as z from "zod";
import { fail } from "../../../room/errors";
import { defineTool } from "../../define";
import { type ListedCount, modeConfig } from "../../mode-config";
import { CATEGORIES, categoriesFor, MODES } from "../../modes";

export const masc_switch_mode = (listedCount: ListedCount) =>
  defineTool({
    name: "masc_switch_mode",
    category: "core",
    description: "Change which tools this session lists (saves tokens); every tool stays callable.",
    input: {
      mode: z.enum(MODES),
      categories: z.array(z.enum(CATEGORIES)).max(CATEGORIES.length).optional().describe("For mode custom"),
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
    handler({ mode, categories }, { session }) {
      if (mode === "custom" && (!categories || categories.length === 0)) {
        fail("invalid_input", `mode "custom" needs categories, some of: ${CATEGORIES.join(", ")}`);
      }
      if (mode !== "custom" && categories)
        fail("invalid_input", `categories only go with mode "custom"; mode "${mode}" has fixed categories`);
      const enabled = categoriesFor(mode, categories ?? []);
      session.setMode(mode, enabled);
      return modeConfig(mode, enabled, listedCount);
    },
  });
