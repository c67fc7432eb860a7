// The gateway's structured logger (pino), with every place a credential could sit redacted.
import pino, { type Logger } from 'pino';

/** Paths pino censors; Secret values also redact themselves, this covers raw headers and bodies. */
export const REDACTED_PATHS = [
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["api-key"]',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["api-key"]',
  '*.apiKey',
  '*.api_key',
  '*.masterKey',
  '*.master_key',
  '*.password',
  '*.redis_password',
  'apiKey',
  'api_key',
  'masterKey',
  'password',
];

export interface LoggerOptions {
  level?: string;
  /** Where lines go; stdout by default. Tests pass a stream to read them. */
  destination?: pino.DestinationStream;
  name?: string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const settings: pino.LoggerOptions = {
    level: options.level ?? 'info',
    name: options.name ?? 'gw',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: undefined,
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}

export type { Logger };
