// LiteLLM's budget_duration ("30s", "30m", "24h", "30d", "1w", "1mo") in milliseconds.

const unitMs: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  // A budget window has one length: a month is taken as 30 days, not the calendar month LiteLLM resets on.
  mo: 30 * 86_400_000,
};

const pattern = /^(\d+)\s*(s|m|h|d|w|mo)$/;

/** Milliseconds, or undefined for text that is not a duration. */
export function parseBudgetDuration(text: string): number | undefined {
  const match = pattern.exec(text.trim());
  if (match === null) return undefined;
  const milliseconds = Number(match[1]) * unitMs[match[2]!]!;
  return milliseconds > 0 ? milliseconds : undefined;
}
