import { buildSchema } from "graphql";
import { SDL } from "./sdl";

let built: ReturnType<typeof buildSchema> | undefined;

/** Built once per isolate. */
export function schema(): ReturnType<typeof buildSchema> {
  built ??= buildSchema(SDL);
  return built;
}
