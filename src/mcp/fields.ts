import * as z from "zod";

/** Shared, flat field schemas: the details live here in `.describe()`, not in tool descriptions. */
/** Names start with a letter or digit: one starting with '-' could be read by git as an option. */
export const AGENT_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const TASK_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_:-]{0,127}$/;
const NAME_RULE = "must be 1-64 characters of letters, digits, '-' or '_', starting with a letter or digit";

export const agentName = z.string().regex(AGENT_NAME_RE, NAME_RULE).describe("Your agent name");

export const otherAgent = (what: string) => z.string().regex(AGENT_NAME_RE, NAME_RULE).describe(what);

export const requestId = z
  .string()
  .regex(/^[a-km-z]{5}$/, "must be five lowercase letters (no 'l'), as Claude Code names a permission prompt")
  .describe("A permission request's id (masc_pending_interrupts)");

export const taskId = z
  .string()
  .regex(TASK_ID_RE, "must be 1-128 characters of letters, digits, '_', ':' or '-', starting with a letter or digit")
  .describe("Task id");

export const priority = z.number().int().min(1).max(5).describe("1 (highest) to 5 (lowest)");

export const text = (max: number, what: string) => z.string().max(max, `must be at most ${max} characters`).describe(what);

export const title = z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters").describe("Short task title");

export const limit = (fallback: number, max: number) =>
  z.number().int().min(1).max(max).default(fallback).describe(`How many to return (1-${max}, default ${fallback})`);

/** Task pages continue after a task number; anything else would silently restart the listing. */
export const taskCursor = z
  .string()
  .regex(/^\d{1,15}$/, "must be the next_cursor of a previous masc_tasks page")
  .optional()
  .describe("next_cursor from the previous page");

export const expectedVersion = z
  .number()
  .int()
  .min(0)
  .optional()
  .describe("Compare-and-swap: fail unless the task is still at this version");

export const capabilities = z.array(z.string().min(1).max(64)).max(32).describe("What this agent can do, e.g. ['typescript', 'review']");

export const message = (max: number, what: string) =>
  z.string().min(1, "must not be empty").max(max, `must be at most ${max} characters`).describe(what);

export const seq = (what: string) => z.number().int().min(0).describe(what);

export const filePath = z
  .string()
  .min(1, "must not be empty")
  .max(512, "must be at most 512 characters")
  .describe("Repo-relative path with '/' separators, e.g. 'src/a.ts' (no '..', not absolute)");

export const capability = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .describe("One capability, e.g. 'typescript'");

export const voteId = z
  .string()
  .regex(/^vote-\d{3,}$/, "must look like vote-001")
  .describe("Vote id, e.g. vote-001");

export const force = z.boolean().optional().describe("Admin: act on another agent's lock or task");

export const blockedBy = z
  .array(taskId)
  .max(50, "must name at most 50 tasks")
  .describe("Task ids it waits for; claimable once each is done or cancelled");
