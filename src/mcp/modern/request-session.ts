import { fail } from "../../room/errors";
import { type Category, categoriesFor, type Mode } from "../modes";
import type { SessionApi } from "../room-port";

/**
 * The 2026-07-28 era has no sessions: each request stands alone. Tools still get a SessionApi, one
 * that lives for the request only: its agent is the caller's (token) or the one the call names.
 */
export class RequestSession implements SessionApi {
  readonly id: string;
  readonly categories: readonly Category[];

  constructor(
    public agent: string | null,
    readonly mode: Exclude<Mode, "custom">,
  ) {
    // Stable, not random: per-caller budgets (rate limits) must not reset with every request.
    this.id = "modern";
    this.categories = categoriesFor(mode);
  }

  bindAgent(agent: string): void {
    this.agent = agent;
  }

  setMode(): void {
    fail(
      "invalid_input",
      "mode: in the 2026-07-28 protocol the mode is part of the URL (e.g. /mcp?mode=minimal); masc_switch_mode changes 2025-era sessions only",
    );
  }
}
