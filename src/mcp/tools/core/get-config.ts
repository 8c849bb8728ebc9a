import { defineTool } from "../../define";
import { type ListedCount, modeConfig } from "../../mode-config";

export const masc_get_config = (listedCount: ListedCount) =>
  defineTool({
    name: "masc_get_config",
    category: "core",
    description: "This session's mode, its categories and how many tools it shows.",
    input: {},
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
    handler(_args, { session }) {
      return modeConfig(session.mode, session.categories, listedCount);
    },
  });
