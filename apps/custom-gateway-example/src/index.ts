// Public API of the example: the one-file custom gateway.
export { createGateway } from './gateway.ts';
export type { GatewayOptions, Upstream } from './gateway-options.ts';
