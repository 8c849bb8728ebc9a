/**
 * What the server acknowledged to the soak's agents, and what may have happened without an answer
 * (a call cut off by kill -9 may or may not have committed). The checks compare the disk with this.
 */
export interface AckedMessage {
  kind: "broadcast" | "portal_message";
  actor: string;
  body: string;
}

/**
 * A lock's grants by fencing token, which orders them as the room did (answers to concurrent
 * calls can arrive in any order): the highest acknowledged token is the current grant.
 */
export interface LockLedger {
  grants: Map<number, string>;
  released: Set<number>;
  /** Agents whose lock call is unanswered (in flight, or cut off): the room may hold a grant for them the ledger never saw. */
  maybeLocked: Set<string>;
  /** Agents whose unlock call is unanswered: their grant may have ended. */
  maybeUnlocked: Set<string>;
}

/** Who claimed a task, and the states it may be in (both, after a masc_done with no answer). */
export interface Claim {
  agent: string;
  states: Set<string>;
}

export class Ledger {
  readonly messages = new Map<number, AckedMessage>();
  readonly tasks = new Map<string, string>();
  readonly claims = new Map<string, Claim>();
  readonly locks = new Map<string, LockLedger>();
  /** When each record was last answered (key `kind:id`), so a finding can say how long before the kill. */
  readonly answeredAt = new Map<string, number>();
  /** Found while the load ran, e.g. a claim acknowledged to a second agent. */
  readonly findings: string[] = [];
  acked = 0;
  unanswered = 0;

  message(seq: number, m: AckedMessage): void {
    this.acked++;
    const before = this.messages.get(seq);
    if (before) this.findings.push(`seq ${seq} acknowledged twice: to ${before.actor} and to ${m.actor}`);
    this.messages.set(seq, m);
    this.answeredAt.set(`seq:${seq}`, Date.now());
  }

  task(id: string, title: string): void {
    this.acked++;
    if (this.tasks.has(id)) this.findings.push(`task id ${id} acknowledged for two new tasks`);
    this.tasks.set(id, title);
    this.answeredAt.set(`task:${id}`, Date.now());
  }

  /** claim_next answered with `id` for `agent`. */
  claimed(id: string, agent: string): void {
    this.acked++;
    // The soak never releases a task: a second claim of one is a second owner.
    const before = this.claims.get(id);
    if (before) this.findings.push(`task ${id} claimed by ${agent} after it was acknowledged to ${before.agent}`);
    this.claims.set(id, { agent, states: new Set(["claimed"]) });
    this.answeredAt.set(`claim:${id}`, Date.now());
  }

  /**
   * masc_done for a claimed task: "sent" before the call (from then on the room may have applied
   * it, even if the answer never comes), then "done" or "refused" when answered.
   */
  done(id: string, agent: string, stage: "sent" | "done" | "refused"): void {
    if (stage === "done") this.acked++;
    const states = stage === "sent" ? ["claimed", "done"] : stage === "done" ? ["done"] : ["claimed"];
    this.claims.set(id, { agent, states: new Set(states) });
    this.answeredAt.set(`claim:${id}`, Date.now());
  }

  /** masc_lock answered with a grant of `token` (re-locking one's own live lock keeps the token). */
  granted(path: string, agent: string, token: number): void {
    this.acked++;
    const l = this.#lock(path);
    const before = l.grants.get(token);
    if (before !== undefined && before !== agent) this.findings.push(`lock ${path} token ${token} granted to both ${before} and ${agent}`);
    l.grants.set(token, agent);
  }

  /** masc_unlock answered: the grant of `token` ended. */
  released(path: string, token: number): void {
    this.acked++;
    this.#lock(path).released.add(token);
  }

  /** Before a lock or unlock call: until its answer arrives, the room may have applied it. */
  lockSent(path: string, agent: string, call: "lock" | "unlock"): void {
    (call === "lock" ? this.#lock(path).maybeLocked : this.#lock(path).maybeUnlocked).add(agent);
  }

  /** The call was answered (granted, released or refused): it no longer leaves a doubt. */
  lockAnswered(path: string, agent: string, call: "lock" | "unlock"): void {
    (call === "lock" ? this.#lock(path).maybeLocked : this.#lock(path).maybeUnlocked).delete(agent);
  }

  #lock(path: string): LockLedger {
    let l = this.locks.get(path);
    if (!l) {
      l = { grants: new Map(), released: new Set(), maybeLocked: new Set(), maybeUnlocked: new Set() };
      this.locks.set(path, l);
    }
    return l;
  }
}
