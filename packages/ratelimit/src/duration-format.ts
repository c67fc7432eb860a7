// Formats milliseconds the way OpenAI's x-ratelimit-reset-* headers do (Go durations): '20ms', '8.64s', '6m0s', '1h2m3s'.

/** Seconds with up to three decimals and no trailing zeros ('8.64s'), by arithmetic: this runs per response. */
function trimmedSeconds(milliseconds: number): string {
  const whole = Math.floor(milliseconds / 1000);
  const fraction = milliseconds % 1000;
  if (fraction === 0) return `${whole}s`;
  if (fraction % 100 === 0) return `${whole}.${fraction / 100}s`;
  if (fraction % 10 === 0) return `${whole}.${fraction < 100 ? '0' : ''}${fraction / 10}s`;
  return `${whole}.${fraction < 10 ? '00' : fraction < 100 ? '0' : ''}${fraction}s`;
}

export function formatDuration(milliseconds: number): string {
  const total = Math.max(0, Math.ceil(milliseconds));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = trimmedSeconds(total % 60_000);
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}
