import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { type Caller, identityOf } from "../room/auth";

/** The caller rides with its own request through the SDK, so concurrent requests never mix. */
export function authInfoOf(caller: Caller | null): AuthInfo | undefined {
  return caller ? { token: "", clientId: identityOf(caller) ?? "", scopes: [], extra: { caller } } : undefined;
}

export function callerOf(info: AuthInfo | undefined): Caller | null {
  return (info?.extra?.caller as Caller | undefined) ?? null;
}
