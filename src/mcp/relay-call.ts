import { type ListenWait, RELAY_HEADER, WAIT_HEADER, WAITED_HEADER } from "../wire/relay-frames";
import { ASK_META } from "./approval-asks";

/**
 * One tool call's link to the Worker's wait relay (decision 0019). When the Worker can wait for
 * the room, masc_listen defers its wait instead of holding the request: the room answers at once
 * with what to wait for and the call to repeat afterwards, with `since` fixed and no timeout.
 */
export class RelayCall {
  #wait: ListenWait | null = null;

  private constructor(
    /** The request came through the Worker's relay and is a single request (not a batch). */
    readonly canDefer: boolean,
    /** Set on the repeated call: what the Worker's wait came to. */
    readonly waited: { ms: number; timedOut: boolean } | null,
  ) {}

  static of(req: Request, body: unknown): RelayCall | undefined {
    const canDefer = req.headers.get(RELAY_HEADER) === "call" && !Array.isArray(body);
    const m = /^(\d{1,9}),([01])$/.exec(req.headers.get(WAITED_HEADER) ?? "");
    const waited = m ? { ms: Number(m[1]), timedOut: m[2] === "1" } : null;
    return canDefer || waited ? new RelayCall(canDefer, waited) : undefined;
  }

  defer(wait: ListenWait): void {
    this.#wait = wait;
  }

  get deferred(): boolean {
    return this.#wait !== null;
  }

  /**
   * Tells the Worker to wait, and gives it the call to repeat: for masc_listen the same request with
   * `since` fixed and no wait; for an approval question the same call naming the question, whose
   * outcome it returns instead of raising a new checkpoint.
   */
  answer(body: unknown): Response {
    const call = body as { params?: { arguments?: Record<string, unknown>; _meta?: Record<string, unknown> } };
    const ask = this.#wait?.ask;
    const params =
      ask !== undefined
        ? { ...call.params, _meta: { ...call.params?._meta, [ASK_META]: ask } }
        : { ...call.params, arguments: { ...call.params?.arguments, since: this.#wait?.after, timeout: 0 } };
    const retry = { ...call, params };
    return Response.json({ wait: this.#wait, retry }, { headers: { [WAIT_HEADER]: "1" } });
  }
}
