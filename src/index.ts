import { app } from "./http/app";

export { Directory } from "./directory/directory";
export { Echo } from "./room/echo";
export { Room } from "./room/room";

export default app satisfies ExportedHandler<Env>;
