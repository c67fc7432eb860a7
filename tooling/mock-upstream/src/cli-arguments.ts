// Parses the mock-upstream command line into server options.
import { readFileSync } from 'node:fs';
import type { MockUpstreamOptions } from './mock-upstream.ts';
import type { Scenario } from './scenario.ts';

export const usage = `Usage: mock-upstream [--port 9100] [--host 127.0.0.1] [--config scenarios.json]
  [--defaults '<Scenario JSON>'] [--model name='<Scenario JSON>' ...]

--config reads {"defaults": Scenario, "models": {"name": Scenario}}; see README.md for the Scenario fields.`;

export class CliArgumentError extends Error {
  override readonly name = 'CliArgumentError';
}

function parseScenario(text: string, what: string): Scenario {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Scenario;
  } catch {
    // reported below
  }
  throw new CliArgumentError(`${what} must be a JSON object, got: ${text}`);
}

export function parseCliArguments(argv: string[]): MockUpstreamOptions | 'help' {
  // The command serves benchmarks for hours: keep only the newest requests in memory.
  const options: MockUpstreamOptions = { port: 9100, maxRecordedRequests: 1000 };
  const models: Record<string, Scenario> = {};
  const args = argv.filter((arg) => arg !== '--');
  for (let index = 0; index < args.length; index += 1) {
    const flag = args[index];
    const value = (): string => {
      const next = args[index + 1];
      if (next === undefined) throw new CliArgumentError(`${flag} needs a value`);
      index += 1;
      return next;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--port': {
        const port = Number(value());
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new CliArgumentError('--port must be 0-65535');
        options.port = port;
        break;
      }
      case '--host':
        options.host = value();
        break;
      case '--defaults':
        options.defaults = parseScenario(value(), '--defaults');
        break;
      case '--model': {
        const pair = value();
        const split = pair.indexOf('=');
        if (split <= 0) throw new CliArgumentError(`--model expects name='<json>', got: ${pair}`);
        models[pair.slice(0, split)] = parseScenario(
          pair.slice(split + 1),
          `--model ${pair.slice(0, split)}`,
        );
        break;
      }
      case '--config': {
        const path = value();
        const config = JSON.parse(readFileSync(path, 'utf8')) as {
          defaults?: Scenario;
          models?: Record<string, Scenario>;
        };
        if (config.defaults !== undefined) options.defaults = config.defaults;
        Object.assign(models, config.models ?? {});
        break;
      }
      default:
        throw new CliArgumentError(`unknown argument: ${flag}`);
    }
  }
  if (Object.keys(models).length > 0) options.models = models;
  return options;
}
