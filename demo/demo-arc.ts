/**
 * The demo's Arc fleet: a fake Azure Resource Graph (and a fake Entra for the real
 * ClientSecretCredential) holding the three configured clusters plus two known only from Azure —
 * `Store-044`, Offline for two days (listed as store-044), and store-045, whose Secret Store extension
 * failed to install — and one subscription the demo identity cannot read.
 */
import { ClientSecretCredential } from '@azure/identity';
import { ResourceGraphArcFleetSource } from '../adapters/azure/arc-fleet-source.js';
import type { ArcFleetSource } from '../jobs/fleet/arc-inventory.js';
import { addArcCluster } from '../test/fakes/azure-resource-graph/arc-resources.js';
import { FakeResourceGraph } from '../test/fakes/azure-resource-graph/fake-resource-graph.js';
import { FakeEntra } from '../test/fakes/entra/fake-entra.js';

export const DEMO_SUBSCRIPTION = '5f0c6a2e-3b1d-4c8e-9a7f-2d6b8e4c1a90';
export const DEMO_UNREADABLE_SUBSCRIPTION = '9b2d4f6a-8c0e-4a1b-b3d5-7e9f1a3c5e70';

export interface DemoArc {
  arg: FakeResourceGraph;
  source: ArcFleetSource;
  fleetConfig: Record<string, unknown>;
  close(): Promise<void>;
}

export async function startDemoArc(now: number, connected: string[], offline: string[]): Promise<DemoArc> {
  const entra = await FakeEntra.start();
  const arg = await FakeResourceGraph.start({ acceptToken: (t) => entra.isIssued(t) });
  arg.addSubscription(DEMO_SUBSCRIPTION).addSubscription(DEMO_UNREADABLE_SUBSCRIPTION);
  arg.forbidden.add(DEMO_UNREADABLE_SUBSCRIPTION);
  const minutesAgo = (m: number) => new Date(now - m * 60_000).toISOString();
  const sub = { subscriptionId: DEMO_SUBSCRIPTION, resourceGroup: 'rg-stores' };
  for (const name of connected) addArcCluster(arg, { ...sub, name, lastConnectivityTime: minutesAgo(2) });
  for (const name of offline)
    addArcCluster(arg, { ...sub, name, connectivityStatus: 'Offline', lastConnectivityTime: minutesAgo(95) });
  addArcCluster(arg, {
    ...sub,
    name: 'Store-044',
    connectivityStatus: 'Offline',
    lastConnectivityTime: minutesAgo(2 * 24 * 60),
  });
  addArcCluster(
    arg,
    { ...sub, name: 'store-045', lastConnectivityTime: minutesAgo(1) },
    { sse: 'Failed', sseMessage: 'helm install of secrets-store-sync-controller timed out after 10m' },
  );
  addArcCluster(arg, { subscriptionId: DEMO_UNREADABLE_SUBSCRIPTION, name: 'store-099' });
  const source = new ResourceGraphArcFleetSource({
    resourceManagerUrl: arg.url,
    subscriptions: [DEMO_SUBSCRIPTION, DEMO_UNREADABLE_SUBSCRIPTION],
    managementGroups: [],
    credential: new ClientSecretCredential(entra.tenantId, entra.clientId, entra.clientSecret, {
      authorityHost: entra.url,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: entra.caCert },
    } as ConstructorParameters<typeof ClientSecretCredential>[3]),
    pipelineOptions: { tlsOptions: { ca: arg.caCert } },
  });
  return {
    arg,
    source,
    fleetConfig: {
      azure: {
        subscriptions: [DEMO_SUBSCRIPTION, DEMO_UNREADABLE_SUBSCRIPTION],
        refreshInterval: '5m',
        resourceManagerUrl: arg.url,
      },
    },
    close: async () => {
      await arg.close();
      await entra.close();
    },
  };
}
