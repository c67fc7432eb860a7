// Authenticates a request by master key or virtual key (Authorization: Bearer or x-api-key) and says what it may use.
import { createHash } from 'node:crypto';
import { GwError } from '@gw/errors';
import type { GatewayConfig, Limits, TeamConfig, VirtualKeyConfig } from '../config/gateway-config.ts';

export interface Principal {
  /** `master`, a virtual key's alias, or `anonymous` when the gateway has no keys configured. */
  name: string;
  /** Stable id for limit state: a hash of the key, never the key. */
  id: string;
  kind: 'master' | 'virtual' | 'anonymous';
  /** Model groups this caller may use; undefined means all. */
  models?: ReadonlySet<string>;
  keyLimits?: Limits;
  team?: TeamConfig;
}

export type Authenticator = (headers: Readonly<Record<string, string | string[] | undefined>>) => Principal;

const ANONYMOUS: Principal = { name: 'anonymous', id: 'anonymous', kind: 'anonymous' };
const MASTER: Principal = { name: 'master', id: 'master', kind: 'master' };

export function createAuthenticator(config: GatewayConfig): Authenticator {
  const masterKey = config.masterKey;
  const teams = new Map(config.gw.teams.map((team) => [team.id, team]));
  // Keys are looked up by value for O(1) auth; the map lives only in this closure and is never logged.
  const byKey = new Map<string, Principal>();
  for (const virtualKey of config.gw.virtualKeys)
    byKey.set(virtualKey.key.reveal(), principalFor(virtualKey, teams));
  const open = masterKey === undefined && byKey.size === 0;

  return (headers) => {
    if (open) return ANONYMOUS;
    const presented = presentedKey(headers);
    if (presented === undefined) {
      throw unauthorized('No API key: send it as "Authorization: Bearer <key>" or in the x-api-key header.');
    }
    if (masterKey?.equals(presented)) return MASTER;
    const principal = byKey.get(presented);
    if (principal === undefined) throw unauthorized('Invalid API key: check the key you are sending.');
    return principal;
  };
}

function principalFor(virtualKey: VirtualKeyConfig, teams: Map<string, TeamConfig>): Principal {
  const team = virtualKey.team === undefined ? undefined : teams.get(virtualKey.team);
  const models = intersect(virtualKey.models, team?.models ?? []);
  const id = createHash('sha256').update(virtualKey.key.reveal()).digest('hex').slice(0, 16);
  const principal: Principal = { name: virtualKey.alias, id, kind: 'virtual' };
  if (models !== undefined) principal.models = models;
  // Everything of the key but what identifies it is its limits: no list of limit fields to keep in step here.
  const { key: _key, alias: _alias, models: _models, team: _team, ...keyLimits } = virtualKey;
  principal.keyLimits = keyLimits satisfies Limits;
  if (team !== undefined) principal.team = team;
  return principal;
}

/** A key's allowed groups narrowed by its team's; an empty list means no restriction at that level. */
function intersect(keyModels: string[], teamModels: string[]): ReadonlySet<string> | undefined {
  if (keyModels.length === 0 && teamModels.length === 0) return undefined;
  if (keyModels.length === 0) return new Set(teamModels);
  if (teamModels.length === 0) return new Set(keyModels);
  const team = new Set(teamModels);
  return new Set(keyModels.filter((model) => team.has(model)));
}

function presentedKey(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const authorization = first(headers.authorization);
  if (authorization !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match) return match[1]!.trim();
  }
  const apiKey = first(headers['x-api-key']) ?? first(headers['api-key']);
  return apiKey?.trim() || undefined;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function unauthorized(message: string): GwError {
  return new GwError({ code: 'GW_ERR_UNAUTHORIZED', message, status: 401 });
}

/** Throws 403 (the key is valid, the model is not for it) unless the principal may use this model group. */
export function assertModelAllowed(principal: Principal, modelGroup: string): void {
  if (principal.models === undefined || principal.models.has(modelGroup)) return;
  throw new GwError({
    code: 'GW_ERR_MODEL_NOT_ALLOWED',
    message: `This key may not use model '${modelGroup}'. Allowed: ${[...principal.models].join(', ') || 'none'}.`,
    status: 403,
    details: { model: modelGroup },
  });
}
