// Removes API keys and bearer tokens from text that may reach logs or callers (upstream messages echo keys).

const KEY_PATTERNS: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_*-]{6,}/g,
  /\bBearer\s+[A-Za-z0-9_.~+/=-]{6,}/gi,
  /(api[_-]?key["'\s:=]+)[A-Za-z0-9_.-]{8,}/gi,
];

/** `text` without the given secrets nor anything shaped like a key. */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  for (const pattern of KEY_PATTERNS) {
    out = out.replace(pattern, (match, prefix?: string) =>
      typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}[redacted]` : '[redacted]',
    );
  }
  return out;
}
