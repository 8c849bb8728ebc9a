import type { AnyTool } from "../../define";
import { masc_portal_close } from "./close";
import { masc_portal_open } from "./open";
import { masc_portal_send } from "./send";
import { masc_portal_status } from "./status";

export const portalTools: AnyTool[] = [masc_portal_open, masc_portal_send, masc_portal_status, masc_portal_close];
