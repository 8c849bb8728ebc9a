import { describe, expect, it } from "vitest";
import { getAgent, join } from "../../src/room/agents";
import { cleanupZombies, markZombies } from "../../src/room/departures";
import { addTask, getTask, transition } from "../../src/room/tasks";
import { memoryDb } from "../helpers/node-db";

const T0 = Date.UTC(2026, 10, 1);
const THRESHOLD = 300_000;

describe("zombies", () => {
  it("gives a silent agent's claim back when it turns zombie", () => {
    const db = memoryDb();
    join(db, T0, "ghost");
    addTask(db, T0, { title: "a" });
    transition(db, T0, "ghost", "task-001", "claim");
    expect(markZombies(db, T0 + THRESHOLD + 1, THRESHOLD)).toEqual(["ghost"]);
    expect(getAgent(db, "ghost")?.status).toBe("zombie");
    expect(getTask(db, "task-001")).toMatchObject({ state: "todo", assignee: null });
  });

  it("on cleanup, removes the zombie and gives back what it took after it was marked", () => {
    const db = memoryDb();
    join(db, T0, "ghost");
    addTask(db, T0, { title: "a" });
    markZombies(db, T0 + THRESHOLD + 1, THRESHOLD);
    transition(db, T0 + THRESHOLD + 2, "ghost", "task-001", "claim");
    expect(cleanupZombies(db, T0 + THRESHOLD + 3, THRESHOLD)).toEqual(["ghost"]);
    expect(getAgent(db, "ghost")?.status).toBe("left");
    expect(getTask(db, "task-001")).toMatchObject({ state: "todo", assignee: null });
  });
});
