import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { signIn } from "./bridge/oauth.ts";
import { bridge } from "./bridge/stdio.ts";
import { emit, type Io, processIo } from "./cli/output.ts";
import { HELP, parse, UsageError } from "./cli/parse.ts";
import { resolveSettings, roomUrl } from "./cli/resolve.ts";
import { hookCommand, hookConfig, mergeHooks } from "./commands/hook.ts";
import { roomCommand } from "./commands/room.ts";
import { worktreeCommand } from "./commands/worktree.ts";
import { Daemon, stateFileFor } from "./daemon/daemon.ts";
import { git } from "./git/git.ts";
import { notify } from "./notify/send.ts";

/** Checks the server is there (and the token good) before a long-running command starts. */
async function probe(url: string, room: string, token: string | undefined): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) });
  } catch (err) {
    throw new Error(
      `masc server unreachable at ${url} (${err instanceof Error ? err.message : String(err)}); start it with ./run dev or pass --url`,
    );
  }
  if (!res.ok) throw new Error(`${url}/health answered ${res.status}; is this a masc server?`);
  const check = await fetch(`${url}/r/${encodeURIComponent(room)}/api/overview`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (check.status === 401) throw new Error("the room refused the token: check --token / MASC_TOKEN");
}

export async function main(argv: string[], io: Io = processIo, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  try {
    const { command, args, flags } = parse(argv);
    if (command === "help") {
      io.out(HELP);
      return 0;
    }
    const s = await resolveSettings(flags, env, cwd);
    switch (command) {
      case "room":
        return roomCommand(s, io);
      case "worktree":
        return await worktreeCommand(s, args, flags, io);
      case "hook": {
        if (args[0] !== "install") return await hookCommand(s, args, io);
        const cfg = hookConfig(flags.client ?? "claude");
        const text = JSON.stringify(cfg.snippet, null, 2);
        if (flags.write) {
          const file = join(s.root, cfg.file);
          const current = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : {};
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, `${JSON.stringify(mergeHooks(current, cfg.snippet), null, 2)}\n`);
          io.out(`wrote ${file}`);
        } else {
          emit(io, s.json, cfg, () => `# ${cfg.file}\n${text}`);
        }
        return 0;
      }
      case "notify": {
        if (args[0] !== "test") throw new UsageError("usage: masc-agent notify test");
        const used = await notify(
          { title: "masc", message: `test notification for room ${s.room}`, target: s.agents[0], from: "masc-agent" },
          { line: io.out },
        );
        emit(io, s.json, { sent_with: used }, () =>
          used.length ? `sent with ${used.join(" + ")}` : "printed on the terminal (no desktop notifier found)",
        );
        return 0;
      }
      case "stdio":
        // Without --token, a room with auth on is signed in to by OAuth (browser, invite).
        await bridge(roomUrl(s), s.token, io.err, s.token ? undefined : ((await signIn(roomUrl(s), io.err, env)) ?? undefined));
        return 0;
      case "up": {
        if (!s.inGit)
          throw new Error(`${s.root} is not inside a git repository; run masc-agent up in your repository (or pass --base-path)`);
        await probe(s.url, s.room, s.token);
        const gitDir = await git(s.root, ["rev-parse", "--path-format=absolute", "--git-common-dir"]);
        const daemon = new Daemon({
          url: s.url,
          room: s.room,
          token: s.token,
          root: s.root,
          agents: s.agents,
          notify: (note) => notify(note, { line: io.out }),
          log: io.err,
          stateFile: stateFileFor(gitDir),
        });
        daemon.start();
        io.err(`masc-agent up: room ${s.room} (${roomUrl(s)}), repository ${s.root}; Ctrl-C to stop`);
        await new Promise<void>((resolve) => {
          process.once("SIGINT", resolve);
          process.once("SIGTERM", resolve);
        });
        daemon.stop();
        return 0;
      }
      default:
        throw new UsageError(`unknown command '${command}'; see masc-agent --help`);
    }
  } catch (err) {
    io.err(`masc-agent: ${err instanceof Error ? err.message : String(err)}`);
    return err instanceof UsageError ? 2 : 1;
  }
}
