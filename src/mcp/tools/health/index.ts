import type { AnyTool } from "../../define";
import { masc_agents } from "./agents";
import { masc_cleanup_zombies } from "./cleanup-zombies";
import { masc_gc } from "./gc";
import { masc_heartbeat } from "./heartbeat";

export const healthTools: AnyTool[] = [masc_heartbeat, masc_agents, masc_cleanup_zombies, masc_gc];
