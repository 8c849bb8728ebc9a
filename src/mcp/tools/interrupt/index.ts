import type { AnyTool } from "../../define";
import { masc_approve } from "./approve";
import { masc_branch } from "./branch";
import { masc_interrupt } from "./interrupt";
import { masc_pending_interrupts } from "./pending-interrupts";
import { masc_reject } from "./reject";

export const interruptTools: AnyTool[] = [masc_interrupt, masc_pending_interrupts, masc_approve, masc_reject, masc_branch];
