// Arithmetic both stores share (the Lua script mirrors it): whether a cost fits and how results are rounded.
import type { DecideRequest, LimitSpec } from './types.ts';

/** Absorbs floating-point drift from weighted windows and refills, so exact fills are not denied. */
export const epsilon = 1e-9;

/** A zero cost is a pre-check: it passes while anything is left, so an exhausted token limit denies it. */
export function fits(used: number, cost: number, limit: number): boolean {
  return cost > 0 ? used + cost <= limit + epsilon : used < limit - epsilon;
}

/** The smallest drop in usage a retry hint waits for. */
export const minimumExcess = 1e-6;

export function remainingOf(limit: number, used: number): number {
  const remaining = Math.floor(limit - used + epsilon);
  return Math.max(remaining, 0);
}

export function costOf(spec: LimitSpec, request: { requests: number; tokens: number }): number {
  return spec.unit === 'tokens' ? request.tokens : request.requests;
}

/** Which specs a decision holds instead of consuming: leases always, token limits only when reserving. */
export function isHeld(spec: LimitSpec, request: DecideRequest): boolean {
  return spec.algorithm === 'concurrency' || (request.reservation !== undefined && spec.unit === 'tokens');
}

/** Retry hints are whole milliseconds, at least 1, so a denied caller never busy-loops. */
export function roundRetry(milliseconds: number): number {
  return Math.max(1, Math.ceil(milliseconds));
}
