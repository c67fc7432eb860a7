// One mock upstream for a test file, reset before each test, closed with the gateways the file built on it.
import { type MockUpstream, startMockUpstream } from '@gw/mock-upstream';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Gateway } from '../../../src/pipeline/create-gateway.ts';

/** `started` receives the mock once it listens; push every gateway built on it to the returned list. */
export function useMockUpstream(started: (mock: MockUpstream) => void): Gateway[] {
  const gateways: Gateway[] = [];
  let mock: MockUpstream | undefined;
  beforeAll(async () => {
    mock = await startMockUpstream();
    started(mock);
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.close()));
    await mock?.close();
  });
  beforeEach(() => mock?.reset());
  return gateways;
}
