/**
 * The Azure-only clusters (no kubeconfig) as handlers see them: a copy of the last fleet refresh's
 * names, re-read from Redis every few seconds, so `requireCluster`-style lookups stay synchronous.
 * Redis stays the only source of truth; this is a cache of it.
 */
import type { ClusterConfig, FleetAzureConfig } from '../../bot/config.js';
import type { ArcFleetStore } from './arc-inventory.js';
import { azureOnlyCluster } from './fleet-job.js';

export interface AzureOnlyClusters {
  /** The Azure-only cluster of that name, with the defaults' settings. */
  cluster(name: string): ClusterConfig | undefined;
  clusters(): ClusterConfig[];
}

export class AzureOnlyDirectory implements AzureOnlyClusters {
  private names: string[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly store: Pick<ArcFleetStore, 'getMeta'>,
    private readonly fleet: FleetAzureConfig,
    private readonly configured: readonly Pick<ClusterConfig, 'name'>[],
  ) {}

  async refresh(): Promise<void> {
    const meta = await this.store.getMeta();
    const configured = new Set(this.configured.map((c) => c.name));
    this.names = (meta?.azureOnly ?? []).filter((n) => !configured.has(n));
  }

  /** Re-reads every `everyMs`. @defaultValue 5 000 ms */
  start(everyMs = 5_000): this {
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), everyMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  cluster(name: string): ClusterConfig | undefined {
    return this.names.includes(name) ? azureOnlyCluster(this.fleet, name) : undefined;
  }

  clusters(): ClusterConfig[] {
    return this.names.map((n) => azureOnlyCluster(this.fleet, n));
  }
}
