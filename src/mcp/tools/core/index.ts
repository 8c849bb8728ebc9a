import type { AnyTool } from "../../define";
import type { ListedCount } from "../../mode-config";
import { masc_add_task } from "./add-task";
import { masc_archive_view } from "./archive-view";
import { masc_batch_add_tasks } from "./batch-add-tasks";
import { masc_cancel_task } from "./cancel-task";
import { masc_claim } from "./claim";
import { masc_claim_next } from "./claim-next";
import { masc_done } from "./done";
import { masc_get_config } from "./get-config";
import { masc_init } from "./init";
import { masc_join } from "./join";
import { masc_leave } from "./leave";
import { masc_pause } from "./pause";
import { masc_pause_status } from "./pause-status";
import { masc_release } from "./release";
import { masc_resume } from "./resume";
import { masc_status } from "./status";
import { masc_switch_mode } from "./switch-mode";
import { masc_task_deps } from "./task-deps";
import { masc_task_history } from "./task-history";
import { masc_tasks } from "./tasks";
import { masc_transition } from "./transition";
import { masc_update_priority } from "./update-priority";

/** The core tools; the two that report a mode get the registry's count of what it lists. */
export const coreTools = (listedCount: ListedCount): AnyTool[] => [
  masc_init,
  masc_join,
  masc_leave,
  masc_status,
  masc_add_task,
  masc_batch_add_tasks,
  masc_tasks,
  masc_claim,
  masc_claim_next,
  masc_transition,
  masc_release,
  masc_done,
  masc_cancel_task,
  masc_update_priority,
  masc_task_deps,
  masc_task_history,
  masc_archive_view,
  masc_pause,
  masc_resume,
  masc_pause_status,
  masc_switch_mode(listedCount),
  masc_get_config(listedCount),
];
