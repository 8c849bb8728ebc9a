import type { AnyTool } from "../../define";
import { masc_auth_create_token } from "./create-token";
import { masc_auth_disable } from "./disable";
import { masc_auth_enable } from "./enable";
import { masc_auth_invite } from "./invite";
import { masc_auth_list } from "./list";
import { masc_auth_refresh } from "./refresh";
import { masc_auth_revoke } from "./revoke";
import { masc_auth_status } from "./status";

export const authTools: AnyTool[] = [
  masc_auth_enable,
  masc_auth_disable,
  masc_auth_status,
  masc_auth_create_token,
  masc_auth_refresh,
  masc_auth_revoke,
  masc_auth_list,
  masc_auth_invite,
];
