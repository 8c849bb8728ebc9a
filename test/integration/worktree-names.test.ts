import { describe, expect, it } from "vitest";
import { call, connect } from "./mcp";
import { openSocket } from "./ws";

describe("worktree names chosen by the room", () => {
  it("refuses a daemon reply whose directory is not the pair's own, storing nothing on the task", async () => {
    const room = "wt-names";
    const daemon = await openSocket(`/r/${room}/ws?kind=local-agent`);
    daemon.ws.send(JSON.stringify({ type: "hello", machine: "m", hostname: "h", repo_root: "/repo", repo_name: "repo", pid: 1 }));
    await daemon.next((f) => f.type === "hello");
    const { client } = await connect(room, "a", { stream: false });
    await call(client, "masc_join", { agent_name: "ann" });
    await call(client, "masc_add_task", { title: "x" });
    // Answer with the old, colliding name: (ann, x-t1) and (ann-x, t1) were both ann-x-t1.
    const answer = (path: string, branch: string) =>
      daemon
        .next((f) => f.type === "request")
        .then((req) => {
          daemon.frames.splice(daemon.frames.indexOf(req), 1);
          daemon.ws.send(
            JSON.stringify({ type: "response", id: req.id, result: { path, branch, git_root: "/repo", repo_name: "repo", created: true } }),
          );
        });
    const [bad] = await Promise.all([
      call(client, "masc_worktree_create", { agent_name: "ann", task_id: "task-001" }),
      answer("/repo/.worktrees/ann-task-001", "ann/task-001"),
    ]);
    expect(bad.text).toMatch(
      /^local_agent_error: masc-agent answered branch 'ann\/task-001' at '\/repo\/\.worktrees\/ann-task-001', not ann\/task-001 in \.worktrees\/ann\.task-001/,
    );
    expect((await call(client, "masc_tasks", {})).json.tasks[0].worktree).toBeNull();
    const [good] = await Promise.all([
      call(client, "masc_worktree_create", { agent_name: "ann", task_id: "task-001" }),
      answer("/repo/.worktrees/ann.task-001", "ann/task-001"),
    ]);
    expect(good.json).toMatchObject({ path: "/repo/.worktrees/ann.task-001", branch: "ann/task-001" });
    daemon.ws.close();
    await client.close();
  });
});
