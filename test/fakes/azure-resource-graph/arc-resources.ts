/**
 * ARG rows shaped as Resource Graph returns them: `connectedClusters` with camelCase properties
 * (`connectivityStatus`, `lastConnectivityTime`, …), extensions with ARG's PascalCase
 * (`properties.ExtensionType`, as in Microsoft's Arc-enabled Kubernetes sample queries),
 * fluxConfigurations with `complianceState`.
 */
import type { ArgRow, FakeResourceGraph } from './fake-resource-graph.js';

export interface ArcClusterSpec {
  subscriptionId: string;
  resourceGroup?: string;
  name: string;
  connectivityStatus?: 'Connected' | 'Connecting' | 'Offline' | 'Expired';
  lastConnectivityTime?: string;
  kubernetesVersion?: string;
  distribution?: string;
}

export function connectedClusterId(
  s: Pick<ArcClusterSpec, 'subscriptionId' | 'resourceGroup' | 'name'>,
): string {
  return `/subscriptions/${s.subscriptionId}/resourceGroups/${s.resourceGroup ?? 'rg-edge'}/providers/Microsoft.Kubernetes/connectedClusters/${s.name}`;
}

export function connectedClusterRow(s: ArcClusterSpec): ArgRow {
  return {
    id: connectedClusterId(s),
    name: s.name,
    type: 'microsoft.kubernetes/connectedclusters',
    subscriptionId: s.subscriptionId,
    resourceGroup: (s.resourceGroup ?? 'rg-edge').toLowerCase(),
    location: 'westeurope',
    properties: {
      provisioningState: 'Succeeded',
      connectivityStatus: s.connectivityStatus ?? 'Connected',
      lastConnectivityTime: s.lastConnectivityTime ?? new Date().toISOString(),
      kubernetesVersion: s.kubernetesVersion ?? '1.30.4',
      distribution: s.distribution ?? 'aks_edge_k3s',
      infrastructure: 'azure_stack_hci',
      agentVersion: '1.21.10',
      totalNodeCount: 1,
      totalCoreCount: 4,
      managedIdentityCertificateExpirationTime: '2027-01-01T00:00:00Z',
    },
  };
}

export function extensionRow(
  cluster: ArcClusterSpec,
  name: string,
  extensionType: string,
  provisioningState = 'Succeeded',
  message?: string,
): ArgRow {
  return {
    id: `${connectedClusterId(cluster)}/providers/Microsoft.KubernetesConfiguration/extensions/${name}`,
    name,
    type: 'microsoft.kubernetesconfiguration/extensions',
    subscriptionId: cluster.subscriptionId,
    properties: {
      ExtensionType: extensionType,
      ProvisioningState: provisioningState,
      Version: '1.0.0',
      ReleaseTrain: 'stable',
      Statuses: message ? [{ Code: 'InstallationFailed', Level: 'Error', Message: message }] : [],
    },
  };
}

export function fluxConfigurationRow(cluster: ArcClusterSpec, name: string, complianceState: string): ArgRow {
  return {
    id: `${connectedClusterId(cluster)}/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/${name}`,
    name,
    type: 'microsoft.kubernetesconfiguration/fluxconfigurations',
    subscriptionId: cluster.subscriptionId,
    properties: {
      complianceState,
      provisioningState: 'Succeeded',
      sourceKind: 'GitRepository',
      scope: 'cluster',
    },
  };
}

/** A cluster with the Secret Store and Flux extensions (each `Succeeded` unless given) and one flux config. */
export function addArcCluster(
  arg: FakeResourceGraph,
  spec: ArcClusterSpec,
  opts: { sse?: string | null; flux?: string | null; compliance?: string; sseMessage?: string } = {},
): string {
  arg.add('resources', connectedClusterRow(spec));
  if (opts.sse !== null)
    arg.add(
      'kubernetesconfigurationresources',
      extensionRow(
        spec,
        'ssarcextension',
        'microsoft.azure.secretstore',
        opts.sse ?? 'Succeeded',
        opts.sseMessage,
      ),
    );
  if (opts.flux !== null) {
    arg.add(
      'kubernetesconfigurationresources',
      extensionRow(spec, 'flux', 'microsoft.flux', opts.flux ?? 'Succeeded'),
    );
    arg.add(
      'kubernetesconfigurationresources',
      fluxConfigurationRow(spec, 'cluster-config', opts.compliance ?? 'Compliant'),
    );
  }
  return connectedClusterId(spec);
}
