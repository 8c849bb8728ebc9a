import { MascError } from "../../src/room/errors";

/** The MascError `fn` throws; any other outcome fails the test. */
export function mascError(fn: () => unknown): MascError {
  try {
    fn();
  } catch (err) {
    if (err instanceof MascError) return err;
    throw err;
  }
  throw new Error("expected a MascError");
}
