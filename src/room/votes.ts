import { requireJoined } from "./agents";
import { fail } from "./errors";
import { appendEvent } from "./events";
import { nextCounter } from "./meta";
import type { Db } from "./sql";

export type VoteStatus = "open" | "approved" | "tied" | "expired";

export interface VoteRow {
  num: number;
  id: string;
  proposer: string;
  topic: string;
  options: string;
  required_votes: number;
  status: VoteStatus;
  winner: string | null;
  created_at: number;
  deadline: number | null;
  closed_at: number | null;
}

export interface NewVote {
  proposer: string;
  topic: string;
  options: string[];
  required_votes: number;
  deadline: number | null;
}

export function getVote(db: Db, id: string): VoteRow {
  const vote = db.one<VoteRow>("SELECT * FROM votes WHERE id = ?", id);
  if (!vote) fail("not_found", `no vote '${id}'; list them with masc_votes`, { vote_id: id });
  return vote;
}

/** Open votes first, then the latest closed ones, newest first. */
export function votesOpenFirst(db: Db, limit: number): VoteRow[] {
  return db.all<VoteRow>("SELECT * FROM votes ORDER BY status = 'open' DESC, num DESC LIMIT ?", limit);
}

export function createVote(db: Db, now: number, v: NewVote): VoteRow {
  requireJoined(db, v.proposer);
  const options = [...new Set(v.options)];
  if (options.length < 2) fail("invalid_input", "options must hold at least two different choices");
  const num = nextCounter(db, "vote_counter");
  const id = `vote-${String(num).padStart(3, "0")}`;
  db.run(
    "INSERT INTO votes (num, id, proposer, topic, options, required_votes, status, created_at, deadline) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)",
    num,
    id,
    v.proposer,
    v.topic,
    JSON.stringify(options),
    v.required_votes,
    now,
    v.deadline,
  );
  appendEvent(db, now, { kind: "vote_created", actor: v.proposer, target: "@all", data: { vote_id: id, topic: v.topic, options } });
  return getVote(db, id);
}

export function tally(db: Db, id: string): Record<string, number> {
  const vote = getVote(db, id);
  const counts: Record<string, number> = Object.fromEntries((JSON.parse(vote.options) as string[]).map((o) => [o, 0]));
  for (const b of db.all<{ choice: string; n: number }>(
    "SELECT choice, COUNT(*) AS n FROM ballots WHERE vote_id = ? GROUP BY choice",
    id,
  )) {
    counts[b.choice] = b.n;
  }
  return counts;
}

/** Plurality: one clear leader wins, a shared top is a tie. */
function outcome(counts: Record<string, number>): { status: "approved" | "tied"; winner: string | null } {
  const top = Math.max(...Object.values(counts));
  const leaders = Object.keys(counts).filter((k) => counts[k] === top);
  return leaders.length === 1 ? { status: "approved", winner: leaders[0] ?? null } : { status: "tied", winner: null };
}

function close(db: Db, now: number, vote: VoteRow, status: VoteStatus, winner: string | null): VoteRow {
  db.run("UPDATE votes SET status = ?, winner = ?, closed_at = ? WHERE id = ? AND status = 'open'", status, winner, now, vote.id);
  appendEvent(db, now, {
    kind: "vote_closed",
    actor: null,
    target: "@all",
    data: { vote_id: vote.id, status, winner, tally: tally(db, vote.id) },
  });
  return getVote(db, vote.id);
}

/** One ballot per agent, changeable while the vote is open; the vote resolves at its quorum. */
export function castVote(db: Db, now: number, agent: string, id: string, choice: string): VoteRow {
  requireJoined(db, agent);
  const vote = getVote(db, id);
  if (vote.status !== "open")
    fail("vote_closed", `vote ${id} is ${vote.status}${vote.winner ? ` (winner: ${vote.winner})` : ""}; ballots are final`, {
      vote_id: id,
    });
  const options = JSON.parse(vote.options) as string[];
  if (!options.includes(choice)) fail("invalid_input", `choice must be one of: ${options.join(", ")}`, { vote_id: id });
  db.run(
    "INSERT INTO ballots (vote_id, agent, choice, ts) VALUES (?, ?, ?, ?) ON CONFLICT (vote_id, agent) DO UPDATE SET choice = excluded.choice, ts = excluded.ts",
    id,
    agent,
    choice,
    now,
  );
  appendEvent(db, now, { kind: "vote_cast", actor: agent, data: { vote_id: id, choice } });
  const voters = db.one<{ n: number }>("SELECT COUNT(*) AS n FROM ballots WHERE vote_id = ?", id)?.n ?? 0;
  if (voters >= vote.required_votes) {
    const { status, winner } = outcome(tally(db, id));
    return close(db, now, vote, status, winner);
  }
  return getVote(db, id);
}

/** Closes open votes whose deadline passed, on what was cast so far. */
export function closeExpired(db: Db, now: number): string[] {
  const due = db.all<VoteRow>("SELECT * FROM votes WHERE status = 'open' AND deadline IS NOT NULL AND deadline <= ?", now);
  for (const vote of due) {
    const counts = tally(db, vote.id);
    const any = Object.values(counts).some((n) => n > 0);
    const { status, winner } = any ? outcome(counts) : { status: "expired" as const, winner: null };
    close(db, now, vote, status, winner);
  }
  return due.map((v) => v.id);
}

export function nextDeadline(db: Db): number | null {
  return db.one<{ t: number | null }>("SELECT MIN(deadline) AS t FROM votes WHERE status = 'open' AND deadline IS NOT NULL")?.t ?? null;
}

export function viewVote(db: Db, v: VoteRow) {
  const ballots = db.all<{ agent: string; choice: string }>("SELECT agent, choice FROM ballots WHERE vote_id = ? ORDER BY ts", v.id);
  return {
    vote_id: v.id,
    topic: v.topic,
    proposer: v.proposer,
    options: JSON.parse(v.options) as string[],
    required_votes: v.required_votes,
    status: v.status,
    winner: v.winner,
    tally: tally(db, v.id),
    voters: ballots.map((b) => b.agent),
    created_at: new Date(v.created_at).toISOString(),
    deadline: v.deadline === null ? null : new Date(v.deadline).toISOString(),
    closed_at: v.closed_at === null ? null : new Date(v.closed_at).toISOString(),
  };
}
