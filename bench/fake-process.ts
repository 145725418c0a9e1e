/**
 * Child process: the fake Kubernetes API (one HTTPS server, N clusters by path prefix) and the fake Key
 * Vault, kept out of the measured dpbot process so their CPU and memory are not counted as dpbot's.
 */
import { FakeKeyVault } from '../test/fakes/key-vault/fake-key-vault.js';
import { FakeKubeApi } from '../test/fakes/kube-api/fake-kube-api.js';
import { fleetNames, populateFleet, SYNCS_PER_CLUSTER, secretName } from './fleet.js';
import { serve } from './ipc.js';

export interface FakeStart {
  clusters: number;
  latencyMs: number;
  metricsKb: number;
  kubeconfig: string;
  /** The fake API server speaks HTTP/1.1 only (as behind a proxy without h2). */
  http1Only?: boolean;
}

export interface FakeReady {
  names: string[];
  objectsPerCluster: number;
  vaultUrl: string;
  vaultCaCert: string;
  vaultToken: string;
}

let kube: FakeKubeApi | undefined;
let vault: FakeKeyVault | undefined;

serve({
  async start(body): Promise<FakeReady> {
    const o = body as FakeStart;
    kube = await FakeKubeApi.start({
      latencyMs: o.latencyMs,
      logRequests: false,
      shareObjectJson: true,
      http1Only: o.http1Only,
    });
    vault = await FakeKeyVault.start();
    const now = Date.now();
    for (let i = 0; i < SYNCS_PER_CLUSTER; i++)
      vault.setSecret({ name: secretName(i), value: 'bench-value', created: new Date(now - 86_400_000) });
    const names = fleetNames(o.clusters);
    const objectsPerCluster = populateFleet(kube, names, { now, metricsKb: o.metricsKb });
    kube.writeKubeconfig(o.kubeconfig, names);
    return {
      names,
      objectsPerCluster,
      vaultUrl: vault.url,
      vaultCaCert: vault.caCert,
      vaultToken: vault.token,
    };
  },
  tls: () => kube?.tlsConnections ?? 0,
  /** Requests by `METHOD path` since the last call (then counting starts again). */
  requests: () => {
    const counts = Object.fromEntries(kube?.requestCounts ?? []);
    kube?.requestCounts.clear();
    return counts;
  },
});

const stop = async () => {
  await kube?.close();
  await vault?.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());
