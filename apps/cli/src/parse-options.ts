// Argument parsers for commander: a bad value becomes a usage error (exit 2) naming the option.
import { InvalidArgumentError } from 'commander';

export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed <= 0) {
    throw new InvalidArgumentError(`expected a positive whole number, got "${value}".`);
  }
  return parsed;
}

export function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed <= 0) {
    throw new InvalidArgumentError(`expected a positive number, got "${value}".`);
  }
  return parsed;
}

export function port(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || parsed > 65_535) {
    throw new InvalidArgumentError(`expected a port number 0-65535, got "${value}".`);
  }
  return parsed;
}

export function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`expected an http(s) URL such as http://127.0.0.1:4000, got "${value}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(`expected an http(s) URL, got "${value}".`);
  }
  return value;
}
