import { resolve } from "node:path";
import { fetchHookInfo, type HookInfo } from "../cli/hook-info.ts";
import type { Io } from "../cli/output.ts";
import { UsageError } from "../cli/parse.ts";
import type { Settings } from "../cli/resolve.ts";
import { preCommit, repoPath } from "../git/pre-commit.ts";

interface HookInput {
  hook_event_name?: string;
  tool_name?: string;
  tool_input?: { file_path?: string; path?: string; notebook_path?: string; command?: string | string[] };
  cwd?: string;
}

const EVENTS: Record<string, string> = { "pre-edit": "PreToolUse", prompt: "UserPromptSubmit", "post-tool": "PostToolUse" };
/** Gemini CLI names its events differently and sends the name on stdin; so we know whom we answer. */
const GEMINI_EVENTS = new Set(["BeforeTool", "BeforeAgent", "AfterTool"]);

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const PATCH_FILE = /^\*\*\* (?:Add File|Update File|Delete File|Move to): (.+)$/gm;

/**
 * The files an edit tool is about to touch: Claude's and Gemini's tools name one; Codex's
 * apply_patch carries a patch whose `*** Update File: <path>` lines name each.
 */
export function editTargets(input: HookInput["tool_input"]): string[] {
  const one = input?.file_path ?? input?.path ?? input?.notebook_path;
  if (one) return [one];
  const patch = Array.isArray(input?.command) ? input.command.join("\n") : input?.command;
  return typeof patch === "string" ? [...patch.matchAll(PATCH_FILE)].map((m) => (m[1] ?? "").trim()).filter(Boolean) : [];
}

export function contextText(info: HookInfo): string | null {
  const lines: string[] = [];
  for (const m of info.mentions) lines.push(`- @mention from ${m.from}: ${m.content}`);
  for (const i of info.pending_interrupts)
    lines.push(`- waiting for human approval: ${i.agent} on ${i.task_id} step ${i.step}: ${i.message}`);
  return lines.length ? `masc room updates:\n${lines.join("\n")}\n(read them with masc_messages / masc_pending_interrupts)` : null;
}

/**
 * Claude Code's and Gemini CLI's hook protocol: JSON on stdin; a JSON decision or extra context on
 * stdout, or nothing. They differ in how to deny: Claude reads hookSpecificOutput.permissionDecision,
 * Gemini a top-level decision and reason.
 */
export async function hookCommand(s: Settings, args: string[], io: Io, input?: string): Promise<number> {
  const [event] = args;
  if (event === "install") return 0;
  if (event === "pre-commit") return preCommit(s, io);
  const hookEvent = event ? EVENTS[event] : undefined;
  if (!hookEvent)
    throw new UsageError(
      "usage: masc-agent hook pre-edit|prompt|post-tool|pre-commit (or: hook install --client claude|codex|gemini, hooks install --git)",
    );
  let payload: HookInput = {};
  try {
    const raw = input ?? (await readStdin());
    payload = raw.trim() ? (JSON.parse(raw) as HookInput) : {};
  } catch {
    // Not JSON: behave as if there were no file; never block the agent on our parsing.
  }
  const gemini = GEMINI_EVENTS.has(payload.hook_event_name ?? "");
  const agent = s.agents[0] ?? null;
  const files =
    event === "pre-edit"
      ? editTargets(payload.tool_input).flatMap((target) => repoPath(s.root, resolve(payload.cwd ?? process.cwd(), target)) ?? [])
      : [];
  const info = await fetchHookInfo(s, agent, files);
  if ("error" in info) {
    if (event === "pre-edit") io.err(`masc: ${info.error}; allowing the edit`);
    return 0;
  }
  if (event === "pre-edit" && info.lock) {
    const { file, path, holder, expires_at } = info.lock;
    const what = path && path !== file ? `${path} is under ${file}, leased` : `${file} is locked`;
    const reason = `${what} by ${holder} until ${expires_at}; ask them (masc_broadcast) or wait for masc_unlock`;
    io.out(
      JSON.stringify(
        gemini
          ? { decision: "deny", reason }
          : { hookSpecificOutput: { hookEventName: hookEvent, permissionDecision: "deny", permissionDecisionReason: reason } },
      ),
    );
    return 0;
  }
  const context = event === "pre-edit" ? null : contextText(info);
  const eventName = gemini ? payload.hook_event_name : hookEvent;
  if (context) io.out(JSON.stringify({ hookSpecificOutput: { hookEventName: eventName, additionalContext: context } }));
  return 0;
}

type HookGroups = Record<string, Array<{ matcher?: string; hooks: Array<{ type?: string; command: string; timeout?: number }> }>>;

/** Ours, from this or an earlier install (older ones ran through npx and had no flags). */
const OUR_HOOK = /^(?:npx )?masc-agent hook (?:pre-edit|prompt|post-tool)\b/;

/**
 * Adds our hook groups to a settings file's own, keeping every hook already there and replacing
 * ours from an earlier install (with an older URL or room), so `--write` can run again safely.
 */
export function mergeHooks(current: Record<string, unknown>, ours: { hooks: HookGroups }): Record<string, unknown> {
  const merged: HookGroups = {};
  for (const [event, groups] of Object.entries((current.hooks ?? {}) as HookGroups)) {
    const kept = groups.map((g) => ({ ...g, hooks: g.hooks.filter((h) => !OUR_HOOK.test(h.command)) })).filter((g) => g.hooks.length > 0);
    if (kept.length) merged[event] = kept;
  }
  for (const [event, groups] of Object.entries(ours.hooks)) merged[event] = [...(merged[event] ?? []), ...groups];
  return { ...current, hooks: merged };
}

const shellWord = (w: string) => (/^[A-Za-z0-9_./:@%+=,-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

/** The flags a hook needs to reach the same room from any directory the client runs it in. */
export function hookFlags(s: Pick<Settings, "url" | "room" | "agents">): string {
  const words = ["--url", s.url, "--room", s.room];
  if (s.agents[0]) words.push("--agent", s.agents[0]);
  return words.map(shellWord).join(" ");
}

/**
 * The hook configuration to paste (or write) for each client. Hooks run the installed
 * `masc-agent` (not npx, which would look the package up on every tool call).
 */
export function hookConfig(client: string, flags = ""): { file: string; snippet: { hooks: HookGroups } } {
  const cmd = (e: string) => ({ type: "command", command: `masc-agent hook ${e}${flags ? ` ${flags}` : ""}`, timeout: 5 });
  if (client === "claude") {
    return {
      file: ".claude/settings.json",
      snippet: {
        hooks: {
          PreToolUse: [{ matcher: "Edit|Write|MultiEdit|NotebookEdit", hooks: [cmd("pre-edit")] }],
          UserPromptSubmit: [{ hooks: [cmd("prompt")] }],
          PostToolUse: [{ matcher: "*", hooks: [cmd("post-tool")] }],
        },
      },
    };
  }
  if (client === "gemini") {
    // Gemini counts hook timeouts in milliseconds, Claude in seconds.
    const gcmd = (e: string) => ({ ...cmd(e), timeout: 5000 });
    return {
      file: ".gemini/settings.json",
      snippet: {
        hooks: {
          BeforeTool: [{ matcher: "write_file|replace", hooks: [gcmd("pre-edit")] }],
          BeforeAgent: [{ hooks: [gcmd("prompt")] }],
          AfterTool: [{ matcher: ".*", hooks: [gcmd("post-tool")] }],
        },
      },
    };
  }
  if (client === "codex") {
    // Codex speaks Claude's hook protocol; its file edits go through apply_patch.
    return {
      file: ".codex/hooks.json",
      snippet: {
        hooks: {
          PreToolUse: [{ matcher: "apply_patch|Edit|Write", hooks: [cmd("pre-edit")] }],
          UserPromptSubmit: [{ hooks: [cmd("prompt")] }],
          PostToolUse: [{ hooks: [cmd("post-tool")] }],
        },
      },
    };
  }
  throw new UsageError("--client must be claude, codex or gemini");
}
