/**
 * `arc-connectivity` (DESIGN §6, §12): the cluster's Arc agents, its Secret Store and Flux extensions
 * and its fluxConfigurations, as Azure Resource Graph reports them. Pure: `snapshot.arc` is filled by
 * the fleet enricher (jobs/fleet) from the inventory the fleet job stored.
 */
import { formatDuration } from '../../bot/duration.js';
import type { ArcClusterView, ArcObservation } from './arc-snapshot.js';
import type { Finding } from './finding.js';
import type { CheckSettings } from './settings.js';
import type { ClusterSnapshot } from './snapshot.js';

const CHECK = 'arc-connectivity' as const;
export const SECRET_STORE_EXTENSION = 'microsoft.azure.secretstore';
export const FLUX_EXTENSION = 'microsoft.flux';

export function checkArcConnectivity(
  snapshot: ClusterSnapshot,
  now: Date,
  settings: CheckSettings,
): Finding[] {
  return arcFindings(snapshot.cluster, snapshot.arc, now, settings);
}

/** Also used directly for clusters known only from Azure (no kubeconfig, so no snapshot). */
export function arcFindings(
  cluster: string,
  arc: ArcObservation | undefined,
  now: Date,
  settings: Pick<CheckSettings, 'secretSync'>,
): Finding[] {
  if (!arc) return [];
  if (!arc.ok)
    return [
      {
        check: CHECK,
        status: 'unknown',
        reason: arc.error.reason === 'NotFound' ? 'ApiError' : arc.error.reason,
        message: `cannot read Azure Resource Graph (${arc.error.message}); cannot verify ${cluster}'s Arc connectivity`,
      },
    ];
  if (!arc.view) return notFound(cluster, arc);
  return [connectivity(arc.view, now), ...extensions(arc.view, settings), ...fluxConfigurations(arc.view)];
}

function notFound(cluster: string, arc: Extract<ArcObservation, { ok: true }>): Finding[] {
  const unreadable = arc.unreadableSubscriptions;
  if (unreadable.length)
    return [
      {
        check: CHECK,
        status: 'unknown',
        reason: 'Forbidden',
        message: `${cluster} is not among the Arc clusters dpbot can read; it may be in subscription ${unreadable.join(', ')}, which the identity cannot read (grant it Reader there)`,
        evidence: { unreadableSubscriptions: unreadable.join(',') },
      },
    ];
  // Without a configured resource id a cluster Azure does not know is simply not Arc-connected.
  if (!arc.expected) return [];
  return [
    {
      check: CHECK,
      status: 'unknown',
      reason: 'ApiError',
      message: `Azure Resource Graph has no connected cluster with ${cluster}'s azure.resourceId; check the id (or the cluster was deleted from Azure)`,
    },
  ];
}

function since(iso: string | undefined, now: Date): string {
  const t = iso ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(t)) return 'last contact unknown';
  return `last contact ${iso} (${formatDuration(Math.max(0, now.getTime() - t))} ago)`;
}

function agoText(iso: string | undefined, now: Date): string {
  const t = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(t) ? '' : ` (${formatDuration(Math.max(0, now.getTime() - t))} ago)`;
}

function connectivity({ cluster: c }: ArcClusterView, now: Date): Finding {
  const evidence = {
    resourceId: c.id,
    connectivityStatus: c.connectivityStatus ?? null,
    lastConnectivityTime: c.lastConnectivityTime ?? null,
    kubernetesVersion: c.kubernetesVersion ?? null,
    distribution: c.distribution ?? null,
  };
  const status = c.connectivityStatus ?? '';
  switch (status.toLowerCase()) {
    case 'connected':
      return {
        check: CHECK,
        status: 'ok',
        reason: 'ArcConnected',
        message: `Arc agents connected (${since(c.lastConnectivityTime, now)}${c.kubernetesVersion ? `; Kubernetes ${c.kubernetesVersion}` : ''})`,
        evidence,
      };
    case 'offline':
    case 'expired':
      return {
        check: CHECK,
        status: 'fail',
        reason: 'ArcDisconnected',
        message:
          status.toLowerCase() === 'expired'
            ? `Arc agents offline so long that the cluster's managed identity certificate expired (${since(c.lastConnectivityTime, now)}); reconnect the cluster (az connectedk8s connect)`
            : `Arc agents Offline since ${c.lastConnectivityTime ?? 'an unknown time'}${agoText(c.lastConnectivityTime, now)}; the site is off the network or the agents are down`,
        evidence,
      };
    case 'connecting':
      // Agents registered but not yet heard from: nothing can be verified, which is not ok.
      return {
        check: CHECK,
        status: 'unknown',
        reason: 'ClusterUnreachable',
        message: "Arc agents are still Connecting: Azure has not heard from this cluster's agents yet",
        evidence,
      };
    default:
      return {
        check: CHECK,
        status: 'unknown',
        reason: 'ApiError',
        message: `Azure reports connectivityStatus "${status || 'none'}"; cannot tell whether the Arc agents are connected`,
        evidence,
      };
  }
}

const isFailed = (state: string | undefined) => state?.toLowerCase() === 'failed';

function extensions(view: ArcClusterView, settings: Pick<CheckSettings, 'secretSync'>): Finding[] {
  const out: Finding[] = [];
  const sse = view.extensions.filter((e) => e.extensionType === SECRET_STORE_EXTENSION);
  for (const e of sse.filter((x) => isFailed(x.provisioningState)))
    out.push({
      check: CHECK,
      status: 'fail',
      reason: 'SecretStoreExtensionFailed',
      resource: `extensions/${e.name}`,
      message: `Secret Store extension ${e.name} provisioning Failed${e.statusMessage ? `: ${e.statusMessage}` : ''}; Key Vault secrets are not being synced`,
      evidence: { extensionId: e.id, version: e.version ?? null },
    });
  if (sse.length === 0 && settings.secretSync.required)
    out.push({
      check: CHECK,
      status: 'fail',
      reason: 'SecretStoreExtensionMissing',
      resource: `extensions/${SECRET_STORE_EXTENSION}`,
      message: `no ${SECRET_STORE_EXTENSION} extension on this cluster; install the Secret Store extension (or set secretSync.required: false)`,
    });
  for (const e of view.extensions.filter((x) => x.extensionType === FLUX_EXTENSION))
    if (isFailed(e.provisioningState))
      out.push({
        check: CHECK,
        status: 'fail',
        reason: 'FluxExtensionFailed',
        resource: `extensions/${e.name}`,
        message: `Flux extension ${e.name} provisioning Failed${e.statusMessage ? `: ${e.statusMessage}` : ''}; GitOps configuration is not applied`,
        evidence: { extensionId: e.id, version: e.version ?? null },
      });
  return out;
}

function fluxConfigurations(view: ArcClusterView): Finding[] {
  return view.fluxConfigurations
    .filter((f) => f.complianceState?.toLowerCase() !== 'compliant')
    .map((f) => ({
      check: CHECK,
      status: 'warn' as const,
      reason: 'FluxNonCompliant',
      resource: `fluxConfigurations/${f.name}`,
      message: `Flux configuration ${f.name} is ${f.complianceState ?? 'of unknown compliance'}, not Compliant`,
      evidence: { fluxConfigurationId: f.id },
    }));
}
