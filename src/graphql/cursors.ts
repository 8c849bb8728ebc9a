import { GraphQLError } from "graphql";

export type CursorKind = "task" | "agent" | "message";

/** Relay cursors: base64 of `kind:value`, as the original. */
export function encodeCursor(kind: CursorKind, value: string | number): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(`${kind}:${value}`)));
}

export function decodeCursor(kind: CursorKind, cursor: string): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(atob(cursor), (c) => c.charCodeAt(0)));
  } catch {
    throw badCursor(kind, cursor);
  }
  if (!text.startsWith(`${kind}:`) || text.length === kind.length + 1) throw badCursor(kind, cursor);
  return text.slice(kind.length + 1);
}

function badCursor(kind: CursorKind, cursor: string): GraphQLError {
  return new GraphQLError(`invalid cursor '${cursor.slice(0, 80)}': expected base64 of "${kind}:<value>" from a previous ${kind}s page`, {
    extensions: { code: "BAD_CURSOR" },
  });
}

export const MAX_FIRST = 200;

export function pageSize(first: number | null | undefined): number {
  const n = first ?? 50;
  if (!Number.isInteger(n) || n < 0 || n > MAX_FIRST) {
    throw new GraphQLError(`first must be between 0 and ${MAX_FIRST}`, { extensions: { code: "BAD_USER_INPUT" } });
  }
  return n;
}
