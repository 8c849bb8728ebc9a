import type * as z from "zod";

const NOUNS: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
};

function at(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const key of path) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/** What the caller actually sent, in words: `the string "1"`, `null`, `a number`. */
function received(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "string") return v.length <= 20 ? `the string ${JSON.stringify(v)}` : "a string";
  if (typeof v === "number") return Number.isInteger(v) ? `the number ${v}` : `the fraction ${v}`;
  if (Array.isArray(v)) return "a list";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

function describe(issue: z.core.$ZodIssue, raw: unknown): string {
  if (issue.code === "unrecognized_keys") return `unknown field(s) ${issue.keys.join(", ")}`;
  const field = issue.path.length ? issue.path.join(".") : "arguments";
  if (issue.code === "invalid_type") {
    const noun = NOUNS[issue.expected] ?? issue.expected;
    const got = at(raw, issue.path);
    return got === undefined ? `${field}: required (${noun})` : `${field}: must be ${noun}, not ${received(got)}`;
  }
  return `${field}: ${issue.message}`;
}

/** `task_id: required (a string); priority: must be a number, not the string "1"`: each names its field. */
export function describeIssues(error: z.ZodError, raw: unknown): string {
  return error.issues.map((i) => describe(i, raw)).join("; ");
}
