import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { type Caller, identityOf } from "../room/auth";
import type { RelayCall } from "./relay-call";

/**
 * The caller (and the call's link to the Worker's wait relay) ride with their own request through
 * the SDK, so concurrent requests never mix.
 */
export function authInfoOf(caller: Caller | null, relay?: RelayCall): AuthInfo | undefined {
  return caller || relay ? { token: "", clientId: identityOf(caller) ?? "", scopes: [], extra: { caller, relay } } : undefined;
}

export function callerOf(info: AuthInfo | undefined): Caller | null {
  return (info?.extra?.caller as Caller | undefined) ?? null;
}

export function relayOf(info: AuthInfo | undefined): RelayCall | undefined {
  return info?.extra?.relay as RelayCall | undefined;
}
