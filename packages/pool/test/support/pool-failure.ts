// Awaits a pool call expected to reject and hands back its PoolError for the test to inspect.
import { expect } from 'vitest';
import { PoolError } from '../../src/index.ts';

export async function failure(promise: Promise<unknown>): Promise<PoolError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PoolError);
  return error as PoolError;
}
