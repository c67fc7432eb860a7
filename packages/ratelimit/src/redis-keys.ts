// Names of the Redis keys behind one limit: its packed state; the script derives its holds and log keys from it.
import type { LimitSpec } from './types.ts';

/**
 * The stored-format version, part of every key name: state written in another format is never read. v1 (no
 * segment) kept state in a hash; v2 packs it into one string.
 */
export const keyFormat = 'v2';

/**
 * The state key of one limit. The hash tag puts every key of a decision in one Cluster slot; length-prefixing the
 * name keeps ('a:b', 'c') and ('a', 'b:c') apart; the script swaps the final 's' for 'h' (holds) or 'l' (log).
 */
export function stateKey(prefix: string, tag: string, spec: LimitSpec): string {
  return `${prefix}{${tag}}:${keyFormat}:${spec.name.length}:${spec.name}:${spec.key}:s`;
}
