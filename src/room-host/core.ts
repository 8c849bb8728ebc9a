import type { DashboardRoom } from "../dashboard/port";
import type { ModernLane } from "../mcp/modern/lane";
import type { SessionPush } from "../mcp/push";
import type { EncryptionControl, Presence, RoomApi, RoomLive } from "../mcp/room-port";
import type { McpSessions } from "../mcp/sessions";
import { wants } from "../room/audience";
import { type Caller, expired, stillValid } from "../room/auth";
import { plainCodec, type TextCodec } from "../room/codec";
import type { RoomConfig } from "../room/config";
import { aesCodec, checkedCodec } from "../room/crypto";
import { markDelivered } from "../room/cursors";
import { encryptionOn, markEncryption, reseal } from "../room/encryption";
import { fail } from "../room/errors";
import { appendedAfter, eventsAfter, lastSeq, openEvent, type RoomEvent } from "../room/events";
import { nextDue, runDueJobs } from "../room/maintenance";
import { deleteMeta, getMeta, setMeta } from "../room/meta";
import { migrate } from "../room/schema";
import { recoverSearch, resetSearch } from "../room/search";
import type { Db } from "../room/sql";
import { CLOSE } from "../wire/relay-frames";
import { VERSION } from "../wire/version";
import { CommitBatch } from "./commit-batch";
import { DirectoryLink } from "./directory-link";
import { durableDb } from "./durable-db";
import { LocalAgents } from "./local-agents";
import { type LaneRoom, McpLanes } from "./mcp-lanes";
import { permissionRequestRoute } from "./permission-relay";
import { PublishPace } from "./publish-pace";
import { RoomRelay } from "./relay";
import { dropScratch, scrubFreedSpace } from "./scrub";
import { RoomSockets } from "./sockets";
import { Telemetry } from "./telemetry";
import { Waiters } from "./waiters";

/** How late a write may leave the alarm (lock expiry, vote deadline …) before it re-arms it. */
const REARM_MS = 1_000;

/** How long a busy room may keep committed events from its listeners (streams, sockets, waits), and its pace. */
const PUBLISH_WITHIN_MS = 100;

/** Events after which some open sessions or sockets may hold a credential that is no longer valid. */
const AUTH_CHANGES = new Set(["auth_enabled", "auth_disabled", "auth_token_revoked", "auth_token_created", "auth_oauth_revoked"]);

export function roomConfig(env: Env): RoomConfig {
  const zombie = Number(env.MASC_ZOMBIE_THRESHOLD_SEC);
  return {
    zombieThresholdMs: (Number.isFinite(zombie) && zombie > 0 ? zombie : 300) * 1000,
    version: VERSION,
    bench: env.MASC_BENCH === "1",
  };
}

/** Something that wants every new room event after it is committed (MCP sessions, WebSockets …). */
export type Listener = (events: readonly RoomEvent[]) => void;

/**
 * Everything a room is, apart from the Durable Object plumbing: its database, event fan-out and
 * alarm bookkeeping, with the MCP lanes (mcp-lanes.ts), the relay and the sockets beside it.
 */
export class RoomCore implements RoomApi, RoomLive, DashboardRoom, LaneRoom {
  readonly db: Db;
  readonly config: RoomConfig;
  /** Both MCP lanes and what they need of the room and the relay. */
  readonly lanes: McpLanes;
  readonly sessions: McpSessions;
  readonly modern: ModernLane;
  readonly sockets: RoomSockets;
  readonly telemetry = new Telemetry();
  readonly localAgents: LocalAgents;
  readonly push: SessionPush;
  /** The Worker's relays of GET streams and masc_listen waits (decision 0019). */
  readonly relay: RoomRelay;
  readonly waiters = new Waiters();
  readonly directory: DirectoryLink;
  /** Receive every committed event, in order, with text already opened. */
  readonly listeners: Listener[] = [];
  codec: TextCodec = plainCodec;
  #name: string | undefined;
  #published: number;
  #alarmAt: number | null | undefined;
  #publishing: Promise<void> = Promise.resolve();
  /** When committed events go to the listeners: at once in a quiet room, together in a busy one. */
  readonly pace = new PublishPace(() => this.#publishNow(), PUBLISH_WITHIN_MS);
  readonly #key: string | undefined;
  readonly #commits = new CommitBatch(() => this.pace.shared);

  constructor(
    private readonly state: DurableObjectState,
    env: Env,
  ) {
    this.db = durableDb(state.storage);
    migrate(this.db);
    dropScratch(this.db);
    recoverSearch(this.db);
    this.config = roomConfig(env);
    this.directory = new DirectoryLink(env.DIRECTORY);
    this.#key = env.MASC_ENCRYPTION_KEY;
    // A missing or wrong key surfaces as a clear error on the first read or write of text.
    if (encryptionOn(this.db)) this.codec = checkedCodec(aesCodec(this.#key), getMeta(this.db, "encryption_check"));
    this.relay = new RoomRelay(state);
    this.lanes = new McpLanes(this, this.relay, env.MASC_CONFORMANCE === "1");
    this.sessions = this.lanes.sessions;
    this.push = this.lanes.push;
    this.modern = this.lanes.modern;
    this.#published = lastSeq(this.db);
    this.#name = getMeta(this.db, "room_name");
    this.sockets = new RoomSockets(
      state,
      this.db,
      () => this.codec,
      () => this.name,
    );
    this.localAgents = new LocalAgents(this.sockets, () => this.name);
    this.listeners.push(
      // First, so a stream or socket whose token just expired, or was revoked in this batch, gets nothing more.
      () => this.#dropExpired(),
      (events) => this.#afterAuthChange(events),
      (events) => this.push.publish(this.sessions.live, events),
      (events) => this.modern.publish(events),
      (events) => this.sockets.publish(events),
      (events) => this.#socketDelivery(events),
      (events) => this.waiters.notify(events),
      (events) => this.relay.wake(events),
      (events) => this.lanes.tellSubscriptions(events),
    );
    this.lanes.restoreRelayed(state);
  }

  readonly encryption: EncryptionControl = {
    keyConfigured: () => Boolean(this.#key?.trim()),
    enable: async () => {
      const resealed = await this.#switchEncryption(true);
      // Outside blockConcurrencyWhile: on a large room this takes a while, and nothing in it needs
      // the room to itself (other writes only add to what gets overwritten).
      try {
        return { resealed, scrubbed_bytes: await scrubFreedSpace(this.db, this.state.storage) };
      } catch (err) {
        console.error("scrubbing freed space failed", err);
        return { resealed, scrub_error: err instanceof Error ? err.message : String(err) };
      }
    },
    disable: () => this.#switchEncryption(false),
  };

  /** Re-seals every text column with the other codec while the room takes no other request. */
  async #switchEncryption(on: boolean): Promise<number> {
    if (encryptionOn(this.db) === on) fail("conflict", `encryption is already ${on ? "enabled" : "disabled"}`);
    const aes = on ? aesCodec(this.#key) : this.codec;
    // Proves the key works (and, turning off, that it is the room's key) before anything is rewritten.
    const check = await aes.seal("keycheck", "masc");
    await aes.open("keycheck", check);
    // A throw inside blockConcurrencyWhile would reset the object, so failures come back as values.
    const outcome = await this.state.blockConcurrencyWhile(async () => {
      try {
        // Frozen, the index's pages stay as they are while sealed values are written.
        setMeta(this.db, "search_frozen", "1");
        const count = on ? await reseal(this.db, aes, aes) : await reseal(this.db, aes, plainCodec);
        markEncryption(this.db, on);
        resetSearch(this.db, on);
        if (on) setMeta(this.db, "encryption_check", check);
        this.codec = on ? aes : plainCodec;
        return { count };
      } catch (err) {
        return { err };
      } finally {
        deleteMeta(this.db, "search_frozen");
      }
    });
    if ("err" in outcome) throw outcome.err;
    return outcome.count;
  }

  get room(): RoomApi {
    return this;
  }

  permissionRequest(req: Request, caller: Caller | null): Promise<Response> {
    return permissionRequestRoute(this, req, caller);
  }

  channelLive(channel: string): boolean {
    return this.sockets.channelLive(channel);
  }

  writeTurn(): Promise<void> {
    return this.#commits.turn();
  }

  get live(): RoomLive {
    return this;
  }

  get name(): string {
    return this.#name ?? "default";
  }

  /** The Worker names the room on every request; the first one is remembered. */
  nameFrom(header: string | null): void {
    if (header && header !== this.#name) {
      this.#name = header;
      setMeta(this.db, "room_name", header);
    }
  }

  observe(tool: string, ms: number, outcome: "ok" | "error"): void {
    this.telemetry.observe(tool, ms, outcome);
  }

  metrics(): string {
    return this.telemetry.render(this.db, this.name, { sessions: this.sessions.size, sockets: this.sockets.all().length }, Date.now());
  }

  afterPublished(catchUp: () => Promise<void>): Promise<void> {
    this.#publishing = this.#publishing.then(catchUp).catch((err) => console.error("catch-up failed", err));
    return this.#publishing;
  }

  waitFor(agent: string, match: (e: RoomEvent) => boolean, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    return this.waiters.wait(agent, match, timeoutMs, signal);
  }

  presence(): Presence {
    return {
      sessions: [...this.sessions.live].map((s) => ({ id: s.id, agent: s.agent, mode: s.mode, streaming: this.relay.streaming(s.id) })),
      sockets: this.sockets.all().map((ws) => {
        const info = this.sockets.info(ws);
        return { kind: info.kind, agent: info.agent };
      }),
      listening: [...new Set([...this.waiters.agents(), ...this.relay.listening()])].sort(),
    };
  }

  /**
   * Hands events committed since the last flush to every listener, then re-arms the alarm; when,
   * a busy room's pace decides (PublishPace). Publication is chained so listeners see events in
   * seq order even though opening text is async.
   */
  flush(): Promise<void> {
    const now = Date.now();
    const fresh = appendedAfter(this.db, this.#published);
    // Whatever moves a due time (a lock, a vote, a join) appends an event. Activity alone only
    // delays zombie checks, and an alarm that fires early just re-arms.
    if (this.#alarmAt === undefined) this.#armAlarm(now);
    else if (fresh) this.#armSoon(now);
    if (!fresh) return this.pace.pending ?? this.#publishing;
    return this.pace.request();
  }

  #publishNow(): Promise<void> {
    const events = appendedAfter(this.db, this.#published) ? eventsAfter(this.db, this.#published, 10_000) : [];
    if (events.length > 0) {
      this.#published = events.at(-1)?.seq ?? this.#published;
      this.#publishing = this.#publishing.then(() => this.#publish(events));
      this.directory.touch(this.db, this.name, Date.now());
    }
    return this.#publishing;
  }

  async #publish(events: readonly RoomEvent[]): Promise<void> {
    const codec = this.codec;
    const opened = await Promise.all(events.map((e) => openEvent(codec, e)));
    for (const listener of this.listeners) {
      try {
        listener(opened);
      } catch (err) {
        console.error("event listener failed", err);
      }
    }
  }

  /** Events written straight to the log (the benchmark's seeding) count as published: nobody is told. */
  skipUnpublished(): void {
    this.#published = lastSeq(this.db);
  }

  async alarm(): Promise<void> {
    const now = Date.now();
    runDueJobs(this.db, now, this.config);
    this.#alarmAt = undefined;
    await this.flush();
  }

  /**
   * Working out the next due time takes a query per job; a busy room would run them on every
   * write. Instead a write makes sure the alarm fires within REARM_MS, and the alarm, which runs
   * whatever is due, arms itself for the true next due time. Due times move at most REARM_MS late.
   */
  #armSoon(now: number): void {
    const soon = now + REARM_MS;
    if (this.#alarmAt !== null && this.#alarmAt !== undefined && this.#alarmAt <= soon) return;
    this.#alarmAt = soon;
    void this.state.storage.setAlarm(soon);
  }

  #armAlarm(now: number): void {
    const due = nextDue(this.db, now, this.config);
    if (due === this.#alarmAt) return;
    this.#alarmAt = due;
    if (due === null) void this.state.storage.deleteAlarm();
    else void this.state.storage.setAlarm(Math.max(due, now + 1));
  }

  #dropExpired(): void {
    const now = Date.now();
    this.sockets.closeInvalid(now, false);
    this.relay.endWhere((caller) => expired(caller, now), CLOSE.revoked, "credential expired");
  }

  /** Turning auth on, revoking or refreshing a token ends what the old credentials opened. */
  #afterAuthChange(events: readonly RoomEvent[]): void {
    if (!events.some((e) => AUTH_CHANGES.has(e.kind))) return;
    const now = Date.now();
    this.sessions.endInvalid();
    this.sockets.closeInvalid(now);
    // GET streams and listen waits relayed by the Worker: the client reconnects with its current credential, or cannot.
    this.relay.endWhere((caller) => !stillValid(this.db, now, caller), CLOSE.revoked, "credential no longer valid");
  }

  /** An event sent to an agent's own socket (not a dashboard's) counts as delivered to it. */
  #socketDelivery(events: readonly RoomEvent[]): void {
    const last = new Map<string, number>();
    for (const ws of this.sockets.all()) {
      const info = this.sockets.info(ws);
      if (info.kind === "dashboard" || !info.agent) continue;
      const mine = events.filter((e) => wants(info, e)).at(-1);
      if (mine) last.set(info.agent, Math.max(last.get(info.agent) ?? 0, mine.seq));
    }
    for (const [agent, seq] of last) markDelivered(this.db, agent, seq);
  }
}
