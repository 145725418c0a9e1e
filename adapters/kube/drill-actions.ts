/**
 * The cluster side of restore drills (DESIGN §10) through KubeClient. Every write is guarded here too:
 * namespaces only `dp-drill-<id>-*` of the drill named, a delete only after the namespace's
 * `dpbot.io/drill` label was read back equal to that id, Restores only in the Velero namespace.
 */
import type { ClusterConfig } from '../../bot/config.js';
import type { Backup } from '../../jobs/checks/snapshot.js';
import { DRILL_LABEL, isScratchOf } from '../../jobs/drill/drill-plan.js';
import type { DrillCluster, PersistentVolumeRef, ScratchContents } from '../../jobs/drill/ports.js';
import { KubeClient, type KubeClientOptions, type KubeResource } from './kube-client.js';
import { KubeApiError } from './kube-errors.js';
import { loadKubeConfig } from './kubeconfig-loader.js';

const core = (plural: string, namespaced: boolean): KubeResource => ({
  group: '',
  version: 'v1',
  plural,
  namespaced,
});
const apps = (plural: string): KubeResource => ({ group: 'apps', version: 'v1', plural, namespaced: true });
const NAMESPACES = core('namespaces', false);
const PVS = core('persistentvolumes', false);
const RESTORES: KubeResource = { group: 'velero.io', version: 'v1', plural: 'restores', namespaced: true };
const BACKUPS: KubeResource = { group: 'velero.io', version: 'v1', plural: 'backups', namespaced: true };

const status = (err: unknown) => (err instanceof KubeApiError ? err.statusCode : undefined);

export class KubeDrillActions implements DrillCluster {
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

  private guard(drillId: string, ns: string): void {
    if (!isScratchOf(drillId, ns))
      throw new Error(`refusing to touch namespace ${ns}: it is not a scratch namespace of drill ${drillId}`);
  }

  listBackups(cluster: ClusterConfig, ns: string): Promise<Backup[]> {
    return this.client(cluster).listAll<Backup>(BACKUPS, { namespace: ns });
  }

  async getNamespace(cluster: ClusterConfig, name: string) {
    try {
      const ns = await this.client(cluster).get<{ metadata?: { labels?: Record<string, string> } }>(
        NAMESPACES,
        undefined,
        name,
      );
      return { labels: ns.metadata?.labels ?? {} };
    } catch (err) {
      if (status(err) === 404) return undefined;
      throw err;
    }
  }

  async createNamespace(
    cluster: ClusterConfig,
    drillId: string,
    name: string,
    labels: Record<string, string>,
  ) {
    this.guard(drillId, name);
    try {
      await this.client(cluster).create(NAMESPACES, undefined, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name, labels },
      });
      return true;
    } catch (err) {
      if (status(err) === 409) return false;
      throw err;
    }
  }

  async deleteNamespace(cluster: ClusterConfig, drillId: string, name: string) {
    this.guard(drillId, name);
    const ns = await this.getNamespace(cluster, name);
    if (!ns) return false;
    if (ns.labels[DRILL_LABEL] !== drillId)
      throw new Error(`refusing to delete namespace ${name}: its ${DRILL_LABEL} label is not ${drillId}`);
    return this.deleteOrGone(() => this.client(cluster).delete(NAMESPACES, undefined, name));
  }

  async listScratch(cluster: ClusterConfig, namespace: string): Promise<ScratchContents> {
    const c = this.client(cluster);
    const [persistentVolumeClaims, deployments, statefulSets, daemonSets, pods] = await Promise.all([
      c.listAll<ScratchContents['persistentVolumeClaims'][number]>(core('persistentvolumeclaims', true), {
        namespace,
      }),
      c.listAll<ScratchContents['deployments'][number]>(apps('deployments'), { namespace }),
      c.listAll<ScratchContents['statefulSets'][number]>(apps('statefulsets'), { namespace }),
      c.listAll<ScratchContents['daemonSets'][number]>(apps('daemonsets'), { namespace }),
      c.listAll<ScratchContents['pods'][number]>(core('pods', true), { namespace }),
    ]);
    return { persistentVolumeClaims, deployments, statefulSets, daemonSets, pods };
  }

  async listPersistentVolumes(cluster: ClusterConfig): Promise<PersistentVolumeRef[]> {
    const pvs = await this.client(cluster).listAll<{
      metadata: { name: string };
      spec?: { persistentVolumeReclaimPolicy?: string; claimRef?: { namespace?: string; name?: string } };
    }>(PVS);
    return pvs.map((pv) => ({
      name: pv.metadata.name,
      reclaimPolicy: pv.spec?.persistentVolumeReclaimPolicy,
      claimNamespace: pv.spec?.claimRef?.namespace,
      claimName: pv.spec?.claimRef?.name,
    }));
  }

  async deletePersistentVolume(cluster: ClusterConfig, drillId: string, name: string) {
    let pv: { spec?: { persistentVolumeReclaimPolicy?: string; claimRef?: { namespace?: string } } };
    try {
      pv = await this.client(cluster).get(PVS, undefined, name);
    } catch (err) {
      if (status(err) === 404) return false;
      throw err;
    }
    const claimNs = pv.spec?.claimRef?.namespace ?? '';
    if (!isScratchOf(drillId, claimNs) || pv.spec?.persistentVolumeReclaimPolicy !== 'Retain')
      throw new Error(`refusing to delete PersistentVolume ${name}: not a Retain volume of drill ${drillId}`);
    return this.deleteOrGone(() => this.client(cluster).delete(PVS, undefined, name));
  }

  async deleteRestore(cluster: ClusterConfig, veleroNamespace: string, name: string) {
    if (veleroNamespace !== cluster.checks.backups.veleroNamespace)
      throw new Error(`refusing to delete a Restore outside ${cluster.checks.backups.veleroNamespace}`);
    return this.deleteOrGone(() => this.client(cluster).delete(RESTORES, veleroNamespace, name));
  }

  private async deleteOrGone(run: () => Promise<unknown>): Promise<boolean> {
    try {
      await run();
      return true;
    } catch (err) {
      if (status(err) === 404) return false;
      throw err;
    }
  }
}
