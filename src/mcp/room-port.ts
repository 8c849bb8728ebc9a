import type { TextCodec } from "../room/codec";
import type { RoomLive } from "../room-host/waiters";
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

export interface RoomConfig {
  zombieThresholdMs: number;
  version: string;
  /** MASC_BENCH=1: the benchmark's seeding route exists. */
  bench?: boolean;
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
