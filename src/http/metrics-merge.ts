/**
 * Merges Prometheus text from several rooms into one exposition: each family's HELP and TYPE
 * once, then all rooms' samples of that family together, as the format requires.
 */
export function mergeExpositions(texts: readonly string[]): string {
  const families = new Map<string, { head: string[]; samples: string[] }>();
  for (const text of texts) {
    let current: { head: string[]; samples: string[] } | undefined;
    for (const line of text.split("\n")) {
      if (line === "") continue;
      const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) /.exec(line);
      if (meta?.[2]) {
        const name = meta[2];
        let fam = families.get(name);
        if (!fam) {
          fam = { head: [], samples: [] };
          families.set(name, fam);
        }
        if (fam.head.length < 2 && !fam.head.some((h) => h.startsWith(`# ${meta[1]} `))) fam.head.push(line);
        current = fam;
        continue;
      }
      if (line.startsWith("#")) continue;
      current?.samples.push(line);
    }
  }
  const out: string[] = [];
  for (const fam of families.values()) out.push(...fam.head, ...fam.samples);
  return out.length ? `${out.join("\n")}\n` : "";
}

const label = (s: string) => s.replace(/["\\\n]/g, "_");

/** Directory-level gauges for every listed room (cheap: one directory read, no fan-out). */
export function directorySeries(
  rooms: ReadonlyArray<{ name: string; tasks_open: number; agents_active: number; events: number; last_activity: string }>,
  total: number,
  scraped: number,
): string {
  const lines = [
    "# HELP masc_rooms Rooms in the directory.",
    "# TYPE masc_rooms gauge",
    `masc_rooms ${total}`,
    "# HELP masc_metrics_rooms_scraped Rooms whose full series are in this scrape (the most recently active).",
    "# TYPE masc_metrics_rooms_scraped gauge",
    `masc_metrics_rooms_scraped ${scraped}`,
    "# HELP masc_metrics_rooms_omitted Rooms left out of this scrape's full series (past the fan-out cap).",
    "# TYPE masc_metrics_rooms_omitted gauge",
    `masc_metrics_rooms_omitted ${Math.max(0, total - scraped)}`,
    "# HELP masc_room_open_tasks Open tasks per room, as last reported to the directory.",
    "# TYPE masc_room_open_tasks gauge",
    ...rooms.map((r) => `masc_room_open_tasks{room="${label(r.name)}"} ${r.tasks_open}`),
    "# HELP masc_room_active_agents Active agents per room, as last reported to the directory.",
    "# TYPE masc_room_active_agents gauge",
    ...rooms.map((r) => `masc_room_active_agents{room="${label(r.name)}"} ${r.agents_active}`),
    "# HELP masc_room_last_activity_seconds Unix time of the room's last event.",
    "# TYPE masc_room_last_activity_seconds gauge",
    ...rooms.map((r) => `masc_room_last_activity_seconds{room="${label(r.name)}"} ${Math.floor(Date.parse(r.last_activity) / 1000)}`),
  ];
  return `${lines.join("\n")}\n`;
}
