// One warning line per interval for a failure that repeats (a store that stays unreachable), with the count.

/** The part of a pino logger used: a warning with fields. */
export interface WarningLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface ThrottledWarningOptions {
  /** At most one line per this many milliseconds after the first (default 60 s). */
  intervalMs?: number;
  clock?: () => number;
}

/**
 * Redis down makes the breaker store fail every 250 ms and the limiter store every second: a line each would be
 * about 18,000 lines an hour per process. The first failure is logged at once, later ones at most once an
 * interval with how many there were (`repeated`), so an outage stays visible without burying the rest.
 */
export function createThrottledWarning(
  logger: WarningLogger,
  message: string,
  options: ThrottledWarningOptions = {},
): (error: unknown, fields?: Record<string, unknown>) => void {
  const intervalMs = options.intervalMs ?? 60_000;
  const clock = options.clock ?? Date.now;
  let lastLoggedAt = Number.NEGATIVE_INFINITY;
  let unlogged = 0;
  return (error, fields) => {
    const now = clock();
    if (now - lastLoggedAt < intervalMs) {
      unlogged++;
      return;
    }
    const line: Record<string, unknown> = {
      ...fields,
      err: error instanceof Error ? error.message : String(error),
    };
    if (unlogged > 0) line.repeated = unlogged;
    logger.warn(line, message);
    lastLoggedAt = now;
    unlogged = 0;
  };
}
