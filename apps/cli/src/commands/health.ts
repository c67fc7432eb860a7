// `gw health` and `gw models`: ask a running gateway for its deployments' state, latency and usage.
import type { Command } from 'commander';
import { runtimeError } from '../cli-error.ts';
import { apiKey, authHeaders, endpoint, gatewayBase } from '../gateway/endpoint.ts';
import { getJson } from '../gateway/gateway-fetch.ts';
import { httpUrl } from '../parse-options.ts';
import { colourEnabled, createStyle, type Io, type Style } from '../terminal.ts';
import { renderTable } from '../text-table.ts';

export type DeploymentState = 'healthy' | 'cooling_down' | 'open' | 'half_open';

/** One deployment as the gateway's `GET /health` reports it. */
export interface DeploymentHealth {
  id: string;
  modelGroup: string;
  state: DeploymentState | string;
  latencyMs?: number | null;
  inFlight?: number;
  rpmUsed?: number;
  tpmUsed?: number;
}

export interface HealthReport {
  healthy: unknown[];
  unhealthy: unknown[];
  deployments: DeploymentHealth[];
}

interface GatewayOptions {
  url?: string;
  key?: string;
  json?: boolean;
}

type HealthEntry = Partial<DeploymentHealth> & { healthy?: boolean; breaker?: string };

/** The state of an entry that has no `state`: from its breaker and health flag (the proxy's list format). */
function stateOf(entry: HealthEntry, listedHealthy: boolean): string {
  if (typeof entry.state === 'string') return entry.state;
  const breaker = entry.breaker?.replace('-', '_');
  if (breaker === 'open' || breaker === 'half_open') return breaker;
  return (entry.healthy ?? listedHealthy) ? 'healthy' : 'cooling_down';
}

function toDeployment(entry: HealthEntry, listedHealthy: boolean): DeploymentHealth {
  return {
    ...entry,
    id: String(entry.id),
    modelGroup: String(entry.modelGroup),
    state: stateOf(entry, listedHealthy),
  };
}

/**
 * Accepts the documented report (a `deployments` list with states) and also the LiteLLM-style report that only
 * lists `healthy` and `unhealthy` deployment objects, deriving each state from its breaker.
 */
export function parseHealth(value: unknown): HealthReport {
  const report = value as { healthy?: unknown; unhealthy?: unknown; deployments?: unknown } | null;
  if (report === null || typeof report !== 'object') {
    throw runtimeError('GW_ERR_GATEWAY_HTTP', 'GET /health did not return a JSON object.');
  }
  const healthy = Array.isArray(report.healthy) ? report.healthy : [];
  const unhealthy = Array.isArray(report.unhealthy) ? report.unhealthy : [];
  const isEntry = (entry: unknown): entry is HealthEntry =>
    typeof entry === 'object' && entry !== null && 'id' in entry && 'modelGroup' in entry;
  let deployments: DeploymentHealth[];
  if (Array.isArray(report.deployments)) {
    deployments = report.deployments.filter(isEntry).map((entry) => toDeployment(entry, true));
  } else if (healthy.some(isEntry) || unhealthy.some(isEntry)) {
    deployments = [
      ...healthy.filter(isEntry).map((entry) => toDeployment(entry, true)),
      ...unhealthy.filter(isEntry).map((entry) => toDeployment(entry, false)),
    ];
  } else {
    throw runtimeError(
      'GW_ERR_GATEWAY_HTTP',
      'GET /health did not return a gw health report (no "deployments" list, no deployment entries).',
    );
  }
  return { healthy, unhealthy, deployments };
}

function stateLabel(state: string, style: Style): string {
  const label = state.replace('_', ' ');
  if (state === 'healthy') return style.green(label);
  if (state === 'open') return style.red(label);
  return style.yellow(label);
}

const numberCell = (value: number | null | undefined, digits = 0): string =>
  value === undefined || value === null || !Number.isFinite(value) ? '-' : value.toFixed(digits);

function deploymentTable(deployments: DeploymentHealth[], style: Style): string {
  return renderTable(
    ['deployment', 'group', 'state', 'latency ms', 'in flight', 'rpm used', 'tpm used'],
    deployments.map((deployment) => [
      deployment.id,
      deployment.modelGroup,
      stateLabel(deployment.state, style),
      numberCell(deployment.latencyMs, 1),
      numberCell(deployment.inFlight),
      numberCell(deployment.rpmUsed),
      numberCell(deployment.tpmUsed),
    ]),
    ['left', 'left', 'left', 'right', 'right', 'right', 'right'],
  );
}

async function fetchHealth(options: GatewayOptions, io: Io): Promise<HealthReport> {
  const base = gatewayBase(options.url, io.env);
  return parseHealth(await getJson(endpoint(base, '/health'), authHeaders(apiKey(options.key, io.env))));
}

function addGatewayOptions(command: Command): Command {
  return command
    .option('--url <url>', 'gateway base URL (default $GW_URL or http://127.0.0.1:4000)', httpUrl)
    .option('--key <key>', 'API key sent as a bearer token (default $GW_API_KEY)')
    .option('--json', 'print the raw JSON');
}

export function registerHealthCommands(program: Command, io: Io): void {
  addGatewayOptions(
    program
      .command('health')
      .description(
        "show each deployment's state (healthy, cooling down, open), latency and usage from GET /health",
      ),
  )
    .addHelpText(
      'after',
      '\nExit codes: 0 the gateway answered, 1 unreachable or HTTP error, 2 bad arguments.',
    )
    .action(async (options: GatewayOptions) => {
      const report = await fetchHealth(options, io);
      if (options.json) {
        io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      const style = createStyle(colourEnabled(io.stdout, io.env));
      const healthy = report.deployments.filter((deployment) => deployment.state === 'healthy').length;
      io.stdout.write(
        `${deploymentTable(report.deployments, style)}\n\n${healthy} of ${report.deployments.length} deployments healthy\n`,
      );
    });

  addGatewayOptions(
    program
      .command('models')
      .description('list the model groups a gateway serves (GET /v1/models) with deployment health'),
  )
    .addHelpText(
      'after',
      '\nExit codes: 0 the gateway answered, 1 unreachable or HTTP error, 2 bad arguments.',
    )
    .action(async (options: GatewayOptions) => {
      const base = gatewayBase(options.url, io.env);
      const headers = authHeaders(apiKey(options.key, io.env));
      const listing = (await getJson(endpoint(base, '/v1/models'), headers)) as {
        data?: Array<{ id?: unknown }>;
      };
      if (!Array.isArray(listing?.data)) {
        throw runtimeError(
          'GW_ERR_GATEWAY_HTTP',
          'GET /v1/models did not return an OpenAI model list ("data").',
        );
      }
      const models = listing.data.map((model) => String(model.id));
      // Health is optional here: a plain OpenAI-compatible server has /v1/models but no /health.
      const report = await fetchHealth(options, io).catch(() => undefined);
      if (options.json) {
        io.stdout.write(`${JSON.stringify({ models, deployments: report?.deployments ?? null }, null, 2)}\n`);
        return;
      }
      const style = createStyle(colourEnabled(io.stdout, io.env));
      const rows = models.map((model) => {
        const deployments = report?.deployments.filter((deployment) => deployment.modelGroup === model) ?? [];
        const healthy = deployments.filter((deployment) => deployment.state === 'healthy').length;
        const latencies = deployments
          .map((deployment) => deployment.latencyMs)
          .filter((latency): latency is number => typeof latency === 'number');
        return [
          model,
          report ? String(deployments.length) : '-',
          report
            ? healthy === deployments.length
              ? style.green(String(healthy))
              : style.yellow(String(healthy))
            : '-',
          latencies.length ? Math.min(...latencies).toFixed(1) : '-',
        ];
      });
      io.stdout.write(
        `${renderTable(['model', 'deployments', 'healthy', 'best latency ms'], rows, ['left', 'right', 'right', 'right'])}\n`,
      );
      if (report && report.deployments.length > 0) {
        io.stdout.write(`\n${deploymentTable(report.deployments, style)}\n`);
      }
    });
}
