// Public API of @gw/mock-upstream.
export type { Clock } from './clock.ts';
export { type MockUpstream, type MockUpstreamOptions, startMockUpstream } from './mock-upstream.ts';
export { type Dialect, fingerprintKey, type RecordedRequest, redacted } from './recorded-request.ts';
export { defaultContent } from './reply-plan.ts';
export type {
  Scenario,
  ScenarioStreamError,
  ScenarioToolCall,
  ScenarioUsage,
} from './scenario.ts';
export { scenarioHeader } from './scenario.ts';
