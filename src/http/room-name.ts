/** The room `/mcp` and the other unprefixed routes serve. */
export const DEFAULT_ROOM = "default";
export const ROOM_NAME_RE = /^[A-Za-z0-9._-]{1,64}$/;
