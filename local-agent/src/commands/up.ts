import type { Io } from "../cli/output.ts";
import { roomUrl, type Settings } from "../cli/resolve.ts";
import { checkServer } from "../cli/server.ts";
import { Daemon, stateFileFor } from "../daemon/daemon.ts";
import { git } from "../git/git.ts";
import { notifierName, notify } from "../notify/send.ts";

/**
 * `masc-agent up`: refuses to start against a wrong URL or token (a mistake to fix now), then
 * runs until stopped, riding out any outage of the server.
 */
export async function upCommand(s: Settings, io: Io, stop: Promise<void>): Promise<number> {
  if (!s.inGit) throw new Error(`${s.root} is not inside a git repository; run masc-agent up in your repository (or pass --base-path)`);
  const check = await checkServer(s);
  // A server that is down may come back; a wrong URL or token will not fix itself.
  if (!check.ok && check.problem !== "unreachable") throw new Error(check.message);
  if (!check.ok) io.err(`masc-agent up: ${check.message}; waiting for it`);
  const gitDir = await git(s.root, ["rev-parse", "--path-format=absolute", "--git-common-dir"]);
  const daemon = new Daemon({
    url: s.url,
    room: s.room,
    token: s.token,
    root: s.root,
    agents: s.agents,
    notify: (note) => notify(note, { line: io.out }),
    log: (line) => io.err(`masc-agent up: ${line}`),
    stateFile: stateFileFor(gitDir),
  });
  io.err(
    `masc-agent up: room ${s.room} (${roomUrl(s)}), repository ${s.root}, agents ${s.agents.length ? s.agents.join(", ") : "all"}, notifications via ${notifierName()}; Ctrl-C to stop`,
  );
  daemon.start();
  await stop;
  daemon.stop();
  io.err("masc-agent up: stopped");
  return 0;
}
