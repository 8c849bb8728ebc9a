/** What a room is configured with (from the deploy's vars); its jobs and tools read it. */
export interface RoomConfig {
  zombieThresholdMs: number;
  version: string;
  /** MASC_BENCH=1: the benchmark's seeding route exists. */
  bench?: boolean;
}
