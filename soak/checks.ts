import type { DiskEvent, DiskState } from "./disk.ts";
import type { Ledger, LockLedger } from "./ledger.ts";

/**
 * The room's push rule (src/room/push.ts `isFor`) restated for plain Node, which cannot load the
 * Worker's extensionless imports; test/unit/soak-checks.test.ts keeps the two in step.
 */
export function meantFor(e: Pick<DiskEvent, "target" | "mentions">, agent: string | null): boolean {
  if (e.target === null || e.target === "@all") return true;
  if (agent === null) return false;
  const matches = (m: string) => m === "@all" || m === agent || (m.startsWith("@@") && (agent.split(/[-_]/)[0] ?? agent) === m.slice(2));
  return matches(e.target) || e.mentions.some(matches);
}

export interface DiskReport {
  findings: string[];
  /** Acknowledged writes the disk holds, of `acked`. */
  found: number;
  acked: number;
  lastSeq: number;
}

/** Every acknowledged write on disk, one owner per task and lock, and a contiguous seq. */
export function checkDisk(ledger: Ledger, disk: DiskState, previousLastSeq: number, killedAt?: number): DiskReport {
  const findings: string[] = [];
  /** How long before the kill a record was answered, for a finding about it. */
  const before = (key: string) => {
    const at = ledger.answeredAt.get(key);
    return killedAt === undefined || at === undefined ? "" : ` (answered ${killedAt - at} ms before the kill)`;
  };
  const bySeq = new Map(disk.events.map((e) => [e.seq, e]));
  let found = 0;
  let acked = 0;

  for (let i = 1; i < disk.events.length; i++) {
    const [a, b] = [disk.events[i - 1] as DiskEvent, disk.events[i] as DiskEvent];
    if (b.seq !== a.seq + 1) findings.push(`seq jumps from ${a.seq} to ${b.seq}`);
  }
  const lastSeq = disk.events.at(-1)?.seq ?? 0;
  if (lastSeq < previousLastSeq) findings.push(`last seq went back from ${previousLastSeq} to ${lastSeq}`);

  for (const [seq, m] of ledger.messages) {
    acked++;
    const e = bySeq.get(seq);
    if (e && e.kind === m.kind && e.actor === m.actor && e.body === m.body) found++;
    else
      findings.push(
        `acknowledged ${m.kind} seq ${seq} from ${m.actor} is ${e ? `now ${e.kind} '${e.body}'` : "missing"}${before(`seq:${seq}`)}`,
      );
  }
  for (const [id, title] of ledger.tasks) {
    acked++;
    if (disk.tasks.get(id)?.title === title) found++;
    else findings.push(`acknowledged task ${id} '${title}' is ${disk.tasks.has(id) ? "changed" : "missing"}${before(`task:${id}`)}`);
  }
  for (const [id, own] of ledger.claims) {
    acked++;
    const t = disk.tasks.get(id);
    if (t && t.assignee === own.agent && own.states.has(t.state)) found++;
    else
      findings.push(
        `task ${id}: acknowledged ${[...own.states].join("/")} by ${own.agent}, disk has ${t ? `${t.state} by ${t.assignee}` : "nothing"}${before(`claim:${id}`)}`,
      );
  }
  for (const [path, l] of ledger.locks) {
    acked++;
    const problem = lockProblem(l, disk.locks.get(path));
    if (problem) findings.push(`lock ${path}: ${problem}`);
    else found++;
  }
  return { findings, found, acked, lastSeq };
}

/** What one listener must have got: every event meant for it from `from` to `upto`, once each. */
export function missingAndDoubled(
  got: ReadonlyMap<number, number>,
  events: readonly DiskEvent[],
  agent: string | null,
  from: number,
  upto: number,
): { missing: number[]; doubled: number[] } {
  const missing = events.filter((e) => e.seq >= from && e.seq <= upto && meantFor(e, agent) && !got.has(e.seq)).map((e) => e.seq);
  const doubled = [...got].filter(([, n]) => n > 1).map(([seq]) => seq);
  return { missing, doubled };
}

/** Whether the lock row on disk is what the acknowledged grants and releases say; why not, if not. */
function lockProblem(l: LockLedger, row: { holder: string | null; token: number } | undefined): string | undefined {
  const last = Math.max(0, ...l.grants.keys());
  if (last === 0) return undefined;
  const token = row?.token ?? 0;
  const holder = row?.holder ?? null;
  if (token < last) return `acknowledged grant ${last} to ${l.grants.get(last)} is gone (disk has token ${token})`;
  if (token > last) {
    // A grant nobody was told of: only a lock call cut off by the kill may have made it.
    if (l.maybeLocked.size > 0 && (holder === null || l.maybeLocked.has(holder))) return undefined;
    return `disk has grant ${token} to ${holder ?? "nobody"} that no call could have made (last acknowledged ${last})`;
  }
  const owner = l.grants.get(last) as string;
  const expected = l.released.has(last) ? null : owner;
  if (holder === expected || (holder === null && l.maybeUnlocked.has(owner))) return undefined;
  return `grant ${last} acknowledged to ${owner}${expected === null ? " and released" : ""}, disk has ${holder ?? "nobody"}`;
}
