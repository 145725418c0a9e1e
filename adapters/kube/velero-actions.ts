/** Live Velero reads and creates for the approval flow, through KubeClient (one client per cluster). */
import type { ClusterConfig } from '../../bot/config.js';
import type { VeleroClient } from '../../jobs/approvals/ports.js';
import type { VeleroAction } from '../../jobs/approvals/proposal.js';
import type { Backup, BackupStorageLocation, Schedule } from '../../jobs/checks/snapshot.js';
import { KubeClient, type KubeClientOptions, type KubeResource } from './kube-client.js';
import { KubeApiError } from './kube-errors.js';
import { loadKubeConfig } from './kubeconfig-loader.js';

const velero = (plural: string): KubeResource => ({
  group: 'velero.io',
  version: 'v1',
  plural,
  namespaced: true,
});

const isNotFound = (err: unknown) => err instanceof KubeApiError && err.statusCode === 404;

export class KubeVeleroActions implements VeleroClient {
  private readonly clients = new Map<string, KubeClient>();

  constructor(private readonly options: KubeClientOptions = {}) {}

  private client(cluster: ClusterConfig): KubeClient {
    let c = this.clients.get(cluster.name);
    if (!c) {
      c = new KubeClient(loadKubeConfig(cluster.kubeconfig, cluster.context), this.options);
      this.clients.set(cluster.name, c);
    }
    return c;
  }

  private async getOrUndefined<T>(
    cluster: ClusterConfig,
    plural: string,
    ns: string,
    name: string,
  ): Promise<T | undefined> {
    try {
      return await this.client(cluster).get<T>(velero(plural), ns, name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  getBackup(cluster: ClusterConfig, ns: string, name: string): Promise<Backup | undefined> {
    return this.getOrUndefined<Backup>(cluster, 'backups', ns, name);
  }

  getSchedule(cluster: ClusterConfig, ns: string, name: string): Promise<Schedule | undefined> {
    return this.getOrUndefined<Schedule>(cluster, 'schedules', ns, name);
  }

  listBackupStorageLocations(cluster: ClusterConfig, ns: string): Promise<BackupStorageLocation[]> {
    return this.client(cluster).listAll<BackupStorageLocation>(velero('backupstoragelocations'), {
      namespace: ns,
    });
  }

  async create(
    cluster: ClusterConfig,
    action: VeleroAction,
  ): Promise<{ created: true } | { created: false; existing: Record<string, unknown> }> {
    // Only ever in the Velero namespace the proposal names, and never with a `status`.
    const { status: _never, ...body } = action.object;
    try {
      await this.client(cluster).createNamespacedCustomObject(
        'velero.io',
        'v1',
        action.namespace,
        action.plural,
        body,
      );
      return { created: true };
    } catch (err) {
      if (!(err instanceof KubeApiError) || err.statusCode !== 409) throw err;
      const existing = await this.getOrUndefined<Record<string, unknown>>(
        cluster,
        action.plural,
        action.namespace,
        action.name,
      );
      if (!existing) throw err;
      return { created: false, existing };
    }
  }

  async getObject(
    cluster: ClusterConfig,
    action: VeleroAction,
  ): Promise<{ labels: Record<string, string>; status: Record<string, unknown> } | undefined> {
    const o = await this.getOrUndefined<{
      metadata?: { labels?: Record<string, string> };
      status?: Record<string, unknown>;
    }>(cluster, action.plural, action.namespace, action.name);
    return o ? { labels: o.metadata?.labels ?? {}, status: o.status ?? {} } : undefined;
  }
}
