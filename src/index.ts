import { app } from "./http/app";

export { Directory } from "./directory/directory";
export { Echo } from "./room-host/echo";
export { Room } from "./room-host/room";

export default app satisfies ExportedHandler<Env>;
