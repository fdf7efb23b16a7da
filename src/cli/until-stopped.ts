/** Resolve on SIGINT or SIGTERM, or after `seconds` when given: how a serving command waits to shut down. */
export function untilStopped(seconds?: number): Promise<void> {
  return new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    if (seconds) timer = setTimeout(done, seconds * 1000);
  });
}
