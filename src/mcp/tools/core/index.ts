import type { AnyTool } from "../../define";
import { masc_add_task } from "./add-task";
import { masc_claim } from "./claim";
import { masc_claim_next } from "./claim-next";
import { masc_done } from "./done";
import { masc_init } from "./init";
import { masc_join } from "./join";
import { masc_leave } from "./leave";
import { masc_status } from "./status";

export const coreTools: AnyTool[] = [masc_init, masc_join, masc_leave, masc_status, masc_add_task, masc_claim, masc_claim_next, masc_done];
