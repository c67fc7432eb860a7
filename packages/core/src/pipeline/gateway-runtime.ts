// What the pipeline steps share, built once per gateway: config, parts, the router and its deployments, metrics.
import type { Router } from '@gw/router';
import type { Logger } from 'pino';
import type { DeploymentConfig, GatewayConfig, ModelGroupAlias } from '../config/gateway-config.ts';
import type { GatewayMetrics } from '../metrics/gateway-metrics.ts';
import type { GatewayParts } from './gateway-parts.ts';

export interface GatewayRuntime {
  readonly config: GatewayConfig;
  readonly parts: GatewayParts;
  readonly logger: Logger;
  readonly router: Router;
  /** The deployments routed to (those whose provider is available), by id. */
  readonly deployments: ReadonlyMap<string, DeploymentConfig>;
  /** The router's model groups. */
  readonly groups: readonly string[];
  readonly groupSet: ReadonlySet<string>;
  /** Aliases of groups that have deployments here (LiteLLM's model_group_alias). */
  readonly aliases: ReadonlyMap<string, ModelGroupAlias>;
  /** The groups named by a pattern (`openai/*`), in config order: they serve the models they match. */
  readonly patterns: readonly string[];
  readonly metrics: GatewayMetrics;
  /** `gw_settings.metrics`: when false the steps record nothing. */
  readonly metricsOn: boolean;
}
