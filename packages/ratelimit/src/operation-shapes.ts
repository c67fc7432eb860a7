// The shapes of a batch: what operations alike share (kind, amounts, limits), sent once and named by index.
import { algorithmCodes } from './redis-script.ts';
import type { LimitSpec } from './types.ts';

export interface ShapeList {
  /** Every shape's script arguments, one after the other: header, limit count, then 4 per limit. */
  args: (string | number)[];
  /** Where each shape starts in `args`; shape i (1-based) starts at starts[i - 1]. */
  starts: number[];
}

/**
 * How many of the latest shapes a new operation is compared with. A batch rarely has more than a few; one with
 * many (concurrency leases each name their own) then costs a bounded scan, and at worst a shape sent twice.
 */
const scannedShapes = 8;

function unitCode(spec: LimitSpec): string {
  return spec.unit === 'tokens' ? 't' : 'r';
}

/** Compares values in place, where a text key per operation would cost a string and its hash every time. */
function matches(
  list: ShapeList,
  start: number,
  header: readonly (string | number)[],
  specs: readonly LimitSpec[],
): boolean {
  const args = list.args;
  for (let index = 0; index < header.length; index++) if (args[start + index] !== header[index]) return false;
  let at = start + header.length;
  if (args[at++] !== specs.length) return false;
  for (let index = 0; index < specs.length; index++) {
    const spec = specs[index]!;
    if (
      args[at] !== algorithmCodes[spec.algorithm] ||
      args[at + 1] !== spec.limit ||
      args[at + 2] !== spec.windowMs ||
      args[at + 3] !== unitCode(spec)
    )
      return false;
    at += 4;
  }
  return true;
}

/** The 1-based index of the operation's shape in `list`, added if none of the latest shapes match. */
export function shapeIndexOf(
  list: ShapeList,
  header: readonly (string | number)[],
  specs: readonly LimitSpec[],
): number {
  const starts = list.starts;
  for (let index = starts.length - 1; index >= 0 && index >= starts.length - scannedShapes; index--) {
    if (matches(list, starts[index]!, header, specs)) return index + 1;
  }
  const args = list.args;
  starts.push(args.length);
  for (const value of header) args.push(value);
  args.push(specs.length);
  for (const spec of specs)
    args.push(algorithmCodes[spec.algorithm], spec.limit, spec.windowMs, unitCode(spec));
  return starts.length;
}
