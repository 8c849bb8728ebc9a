import type { TextCodec } from "../room/codec";
import type { RoomConfig } from "../room/config";
import type { RoomEvent } from "../room/events";
import type { Category, Mode } from "./modes";

/** What a tool may ask of its room beyond SQL; the room core implements it. */
export interface RoomApi {
  readonly name: string;
  readonly config: RoomConfig;
  /** Seal text before writing it, open it after reading it (encryption at rest). */
  readonly codec: TextCodec;
  /** Waiting for events (masc_listen) and who is connected (masc_who). */
  readonly live: RoomLive;
  readonly encryption: EncryptionControl;
  /** The masc-agent daemons connected from developers' machines. */
  readonly localAgents: LocalAgentLink;
  /** Whether a masc-agent channel (decision 0040) is still connected. */
  channelLive(channel: string): boolean;
  /** Resolves when a call that writes may run, together with the others that asked meanwhile. */
  writeTurn(): Promise<void>;
}

/** Asks a connected masc-agent to do something on its machine and waits for the answer. */
export interface LocalAgentLink {
  request(method: string, params: Record<string, unknown>, timeoutMs?: number): Promise<unknown>;
}

/** Turning encryption at rest on or off re-seals every stored text value. */
export interface EncryptionControl {
  keyConfigured(): boolean;
  /** How many values were re-sealed, and what scrubbing the old plaintext off disk wrote (or why it failed). */
  enable(): Promise<{ resealed: number; scrubbed_bytes?: number; scrub_error?: string }>;
  /** How many values were opened again. */
  disable(): Promise<number>;
}

/** The calling MCP session. */
export interface SessionApi {
  readonly id: string;
  /** The agent this session acts as, once it joined or named itself. */
  readonly agent: string | null;
  readonly mode: Mode;
  readonly categories: readonly Category[];
  bindAgent(agent: string): void;
  setMode(mode: Mode, categories: readonly Category[]): void;
}

/** Who is connected right now; answers masc_who and masc_status's "listening". */
export interface Presence {
  sessions: Array<{ id: string; agent: string | null; mode: string; streaming: boolean }>;
  sockets: Array<{ kind: string; agent: string | null }>;
  listening: string[];
}

/** The real-time side of a room that tools can use: waiting for events and seeing who is there. */
export interface RoomLive {
  /**
   * Resolves true when a published event matches, false on timeout or abort. Register it in the
   * same synchronous turn as the read that found nothing, so no event can slip in between.
   */
  waitFor(agent: string, match: (e: RoomEvent) => boolean, timeoutMs: number, signal: AbortSignal): Promise<boolean>;
  presence(): Presence;
}
