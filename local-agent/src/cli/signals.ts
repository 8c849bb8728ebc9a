/** Resolves on Ctrl-C or SIGTERM, so long-running commands stop cleanly and exit 0. */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
  });
}
