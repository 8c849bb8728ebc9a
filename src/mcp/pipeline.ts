import type { Decorator, Guard } from "./define";
import { authGuard } from "./guards/auth";
import { rateLimitGuard } from "./guards/ratelimit";
import { unreadHint } from "./unread-hint";

export const GUARDS: Guard[] = [authGuard, rateLimitGuard];
export const DECORATORS: Decorator[] = [unreadHint];
