// usage-based-routing: the most headroom against rpm/tpm in the current minute.
import type { DeploymentStats } from '../deployment-stats.ts';
import type { PickContext, Picker, PickerEnvironment, Strategy } from '../strategy.ts';
import type { UsageSource } from '../usage-source.ts';
import { SortedOrder } from './sorted-order.ts';

export interface UsageBasedOptions {
  /**
   * How often every member's headroom is re-read from the usage source. Usage recorded through this router is
   * seen at once; this catches what other gateway instances recorded in a shared source. Default 1 s.
   */
  usageRefreshMs?: number;
}

/** Fraction of the tighter limit still free; without limits, fewer tokens used ranks higher. */
function headroom(stats: DeploymentStats, usage: UsageSource, now: number): number {
  const { id, rpm, tpm } = stats.deployment;
  const requests = usage.requests(id, now);
  const tokens = usage.tokens(id, now);
  let free = Number.POSITIVE_INFINITY;
  if (rpm !== undefined && rpm > 0) free = Math.min(free, (rpm - requests) / rpm);
  if (tpm !== undefined && tpm > 0) free = Math.min(free, (tpm - tokens) / tpm);
  return free === Number.POSITIVE_INFINITY ? 1 - tokens / (tokens + 1_000_000) : free;
}

class UsagePicker implements Picker {
  readonly #members: readonly DeploymentStats[];
  readonly #environment: PickerEnvironment;
  readonly #refreshMs: number;
  /** Negated headroom per slot, so the sorted order puts the most headroom first. */
  readonly #keys: Float64Array;
  readonly #order: SortedOrder;
  #refreshedAt = Number.NEGATIVE_INFINITY;
  #minute = Number.NaN;

  constructor(members: readonly DeploymentStats[], environment: PickerEnvironment, refreshMs: number) {
    this.#members = members;
    this.#environment = environment;
    this.#refreshMs = refreshMs;
    this.#keys = new Float64Array(members.length);
    this.#order = new SortedOrder(members, (stats) => this.#keys[stats.slot] as number);
  }

  #refresh(now: number): void {
    for (const member of this.#members) {
      this.#keys[member.slot] = -headroom(member, this.#environment.usage, now);
    }
    this.#order.resort();
    this.#refreshedAt = now;
    this.#minute = Math.floor(now / 60_000);
  }

  update(stats: DeploymentStats): void {
    const now = this.#environment.clock();
    if (Math.floor(now / 60_000) !== this.#minute) return; // the next pick refreshes everything anyway
    this.#keys[stats.slot] = -headroom(stats, this.#environment.usage, now);
    this.#order.update(stats);
  }

  pick(context: PickContext): DeploymentStats | undefined {
    if (
      context.now - this.#refreshedAt >= this.#refreshMs ||
      Math.floor(context.now / 60_000) !== this.#minute
    ) {
      this.#refresh(context.now);
    }
    return this.#order.pick(context, 0);
  }
}

export function createUsageBased(options: UsageBasedOptions = {}): Strategy {
  const refreshMs = options.usageRefreshMs ?? 1_000;
  return {
    name: 'usage-based-routing',
    createPicker: (members, environment) => new UsagePicker(members, environment, refreshMs),
  };
}
