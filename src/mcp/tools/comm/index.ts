import type { AnyTool } from "../../define";
import { masc_broadcast } from "./broadcast";
import { masc_listen } from "./listen";
import { masc_lock } from "./lock";
import { masc_locks } from "./locks";
import { masc_messages } from "./messages";
import { masc_progress } from "./progress";
import { masc_search } from "./search";
import { masc_unlock } from "./unlock";
import { masc_who } from "./who";

export const commTools: AnyTool[] = [
  masc_broadcast,
  masc_messages,
  masc_listen,
  masc_who,
  masc_progress,
  masc_lock,
  masc_unlock,
  masc_locks,
  masc_search,
];
