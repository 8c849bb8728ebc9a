import type { AnyTool, ToolContext } from "./define";
import { authGuard } from "./guards/auth";
import { rateLimitGuard } from "./guards/ratelimit";
import { unreadHint } from "./unread-hint";

/**
 * Checks every call passes before its handler runs (auth, rate limits …). A guard throws a
 * MascError to refuse; it sees arguments already validated by the tool's schema.
 */
export type Guard = (tool: AnyTool, args: Record<string, unknown>, ctx: ToolContext) => void;

/** Text blocks added after a successful result (e.g. an unread-messages hint); null adds nothing. */
export type Decorator = (tool: AnyTool, args: Record<string, unknown>, ctx: ToolContext) => string | null;

export const GUARDS: Guard[] = [authGuard, rateLimitGuard];
export const DECORATORS: Decorator[] = [unreadHint];
