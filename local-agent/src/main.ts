import { signIn } from "./bridge/oauth.ts";
import { bridge } from "./bridge/stdio.ts";
import { commandHelp } from "./cli/help.ts";
import { type Io, processIo } from "./cli/output.ts";
import { parse, UsageError } from "./cli/parse.ts";
import { resolveSettings, roomUrl } from "./cli/resolve.ts";
import { untilStopped } from "./cli/signals.ts";
import { version } from "./cli/version.ts";
import { channelCommand } from "./commands/channel.ts";
import { installGitCommand } from "./commands/git-hook.ts";
import { hookCommand } from "./commands/hook.ts";
import { hooksInstall } from "./commands/hooks-install.ts";
import { notifyCommand } from "./commands/notify.ts";
import { roomCommand } from "./commands/room.ts";
import { upCommand } from "./commands/up.ts";
import { worktreeCommand } from "./commands/worktree.ts";

const COMMANDS = new Set(["up", "room", "stdio", "channel", "worktree", "hook", "notify"]);

/** parse -> resolve -> command -> output; returns the exit code (0 ok, 1 error, 2 usage). */
export async function main(
  argv: string[],
  io: Io = processIo,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
  stop: () => Promise<void> = untilStopped,
): Promise<number> {
  // Claude Code and Gemini CLI read exit code 2 from a hook as "block": an agent hook that cannot
  // run must never stop the agent, so its usage errors exit 1.
  const agentHook = argv[0] && ["hook", "hooks"].includes(argv[0]) && ["pre-edit", "prompt", "post-tool"].includes(argv[1] ?? "");
  try {
    const { command, args, flags } = parse(argv);
    if (command === "version") {
      io.out(version());
      return 0;
    }
    if (command === "help") {
      const text = commandHelp(args[0]);
      if (text === null) throw new UsageError(`unknown command '${args[0]}'; see masc-agent --help`);
      io.out(text);
      return 0;
    }
    if (!COMMANDS.has(command)) throw new UsageError(`unknown command '${command}'; see masc-agent --help`);
    const s = await resolveSettings(flags, env, cwd);
    // Hooks run inside an agent's turn: only their answer, never chatter.
    if (command !== "hook" || args[0] === "install") for (const n of s.notices) io.err(`masc-agent: ${n}`);
    switch (command) {
      case "room":
        return await roomCommand(s, io);
      case "worktree":
        return await worktreeCommand(s, args, flags, io);
      case "hook":
        if (args[0] === "install") return flags.git ? await installGitCommand(s, io) : hooksInstall(s, flags, io);
        if (args.length === 0) throw new UsageError(`which hook? ${commandHelp("hook")?.split("\n\n")[2] ?? ""}`);
        return await hookCommand(s, args, io);
      case "notify":
        return await notifyCommand(s, args, flags, io);
      case "stdio": {
        const stopped = stop();
        io.err(`masc-agent stdio: bridging to ${roomUrl(s)}`);
        // Without --token, a room with auth on is signed in to by OAuth (browser, invite).
        await bridge(roomUrl(s), s.token, io.err, stopped, s.token ? null : await signIn(roomUrl(s), io.err, env));
        return 0;
      }
      case "channel":
        return await channelCommand(s, flags, io, env, stop());
      case "up":
        return await upCommand(s, io, stop());
      default:
        throw new UsageError(`unknown command '${command}'; see masc-agent --help`);
    }
  } catch (err) {
    io.err(`masc-agent: ${err instanceof Error ? err.message : String(err)}`);
    return err instanceof UsageError && !agentHook ? 2 : 1;
  }
}
