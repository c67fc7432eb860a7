// A secret value (API key, master key, Redis password) that redacts itself everywhere it could be printed.
import { inspect } from 'node:util';

const REDACTED = '[redacted]';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The real value; call only where it is sent to its destination (an upstream header, a Redis AUTH). */
  reveal(): string {
    return this.#value;
  }

  /** Constant-time-ish equality against a presented credential, without exposing the value. */
  equals(candidate: string): boolean {
    const value = this.#value;
    if (candidate.length !== value.length) return false;
    let diff = 0;
    for (let index = 0; index < value.length; index++)
      diff |= value.charCodeAt(index) ^ candidate.charCodeAt(index);
    return diff === 0;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }

  static isSecret(value: unknown): value is Secret {
    return value instanceof Secret;
  }
}
