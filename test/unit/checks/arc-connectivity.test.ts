/** arc-connectivity, table-driven: one row per reason code (DESIGN §6), plus the unknowns. */
import { arcFindings, checkArcConnectivity } from '../../../jobs/checks/arc-connectivity.js';
import type { ArcClusterView, ArcObservation } from '../../../jobs/checks/arc-snapshot.js';
import { CHECKS, runChecks } from '../../../jobs/checks/run-checks.js';
import { apiserverSnapshot, SETTINGS as BASE, NOW } from './apiserver-snapshot.js';

const ID =
  '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/store-042';
const ext = (name: string, extensionType: string, provisioningState = 'Succeeded') => ({
  id: `${ID}/providers/Microsoft.KubernetesConfiguration/extensions/${name}`,
  name,
  extensionType,
  provisioningState,
});
const SSE = ext('ssarcextension', 'microsoft.azure.secretstore');
const FLUX = ext('flux', 'microsoft.flux');

function view(
  over: Partial<ArcClusterView['cluster']> = {},
  parts: Partial<Omit<ArcClusterView, 'cluster'>> = {},
): ArcClusterView {
  return {
    cluster: {
      id: ID,
      name: 'store-042',
      subscriptionId: '11111111-1111-1111-1111-111111111111',
      connectivityStatus: 'Connected',
      lastConnectivityTime: new Date(NOW.getTime() - 3 * 60_000).toISOString(),
      kubernetesVersion: '1.30.4',
      ...over,
    },
    extensions: [SSE, FLUX],
    fluxConfigurations: [{ id: `${ID}/x/fluxConfigurations/cfg`, name: 'cfg', complianceState: 'Compliant' }],
    ...parts,
  };
}
const found = (
  v: ArcClusterView,
  extra: Partial<Extract<ArcObservation, { ok: true }>> = {},
): ArcObservation => ({
  ok: true,
  view: v,
  expected: false,
  unreadableSubscriptions: [],
  fetchedAt: NOW.toISOString(),
  ...extra,
});
const SETTINGS = {
  ...BASE,
  secretSync: { rotationPollIntervalMs: 3_600_000, jitterMs: 0, expiryWarningMs: 0, required: true },
};
const notRequired = { ...SETTINGS, secretSync: { ...SETTINGS.secretSync, required: false } };

type Row = [string, ArcObservation | undefined, typeof SETTINGS, [string, string, string?][]];
const rows: Row[] = [
  ['fleet.azure not configured: nothing', undefined, SETTINGS, []],
  ['Connected with healthy extensions', found(view()), SETTINGS, [['ok', 'ArcConnected']]],
  ['Offline', found(view({ connectivityStatus: 'Offline' })), SETTINGS, [['fail', 'ArcDisconnected']]],
  ['Expired', found(view({ connectivityStatus: 'Expired' })), SETTINGS, [['fail', 'ArcDisconnected']]],
  [
    'Connecting is not ok',
    found(view({ connectivityStatus: 'Connecting' })),
    SETTINGS,
    [['unknown', 'ClusterUnreachable']],
  ],
  [
    'no connectivityStatus',
    found(view({ connectivityStatus: undefined })),
    SETTINGS,
    [['unknown', 'ApiError']],
  ],
  [
    'SSE Failed',
    found(view({}, { extensions: [ext('ssarcextension', 'microsoft.azure.secretstore', 'Failed'), FLUX] })),
    SETTINGS,
    [
      ['ok', 'ArcConnected'],
      ['fail', 'SecretStoreExtensionFailed', 'extensions/ssarcextension'],
    ],
  ],
  [
    'SSE missing, required',
    found(view({}, { extensions: [FLUX] })),
    SETTINGS,
    [
      ['ok', 'ArcConnected'],
      ['fail', 'SecretStoreExtensionMissing', 'extensions/microsoft.azure.secretstore'],
    ],
  ],
  [
    'SSE missing, not required',
    found(view({}, { extensions: [FLUX] })),
    notRequired,
    [['ok', 'ArcConnected']],
  ],
  [
    'Flux extension Failed',
    found(view({}, { extensions: [SSE, ext('flux', 'microsoft.flux', 'Failed')] })),
    SETTINGS,
    [
      ['ok', 'ArcConnected'],
      ['fail', 'FluxExtensionFailed', 'extensions/flux'],
    ],
  ],
  [
    'fluxConfiguration Non-Compliant',
    found(view({}, { fluxConfigurations: [{ id: 'x', name: 'cfg', complianceState: 'Non-Compliant' }] })),
    SETTINGS,
    [
      ['ok', 'ArcConnected'],
      ['warn', 'FluxNonCompliant', 'fluxConfigurations/cfg'],
    ],
  ],
  [
    'ARG read failed',
    { ok: false, error: { reason: 'ApiError', message: '500' } },
    SETTINGS,
    [['unknown', 'ApiError']],
  ],
  [
    'ARG forbidden',
    { ok: false, error: { reason: 'Forbidden', message: '403' } },
    SETTINGS,
    [['unknown', 'Forbidden']],
  ],
  ['not in Azure, nothing unreadable: not an Arc cluster', found(view(), { view: undefined }), SETTINGS, []],
  [
    'not found, a subscription unreadable',
    found(view(), { view: undefined, unreadableSubscriptions: ['22222222-2222-2222-2222-222222222222'] }),
    SETTINGS,
    [['unknown', 'Forbidden']],
  ],
  [
    'configured resourceId not found',
    found(view(), { view: undefined, expected: true }),
    SETTINGS,
    [['unknown', 'ApiError']],
  ],
];

describe('arc-connectivity', () => {
  it.each(rows)('%s', (_name, arc, settings, expected) => {
    const findings = arcFindings('store-042', arc, NOW, settings);
    expect(findings.map((f) => [f.status, f.reason, ...(f.resource ? [f.resource] : [])])).toEqual(expected);
    for (const f of findings) expect(f.check).toBe('arc-connectivity');
  });

  it('says since when an Offline cluster was last heard from', () => {
    const [f] = arcFindings(
      's',
      found(view({ connectivityStatus: 'Offline', lastConnectivityTime: '2026-11-24T12:00:00Z' })),
      NOW,
      SETTINGS,
    );
    expect(f.message).toContain('Offline since 2026-11-24T12:00:00Z');
    expect(f.evidence).toMatchObject({
      lastConnectivityTime: '2026-11-24T12:00:00Z',
      connectivityStatus: 'Offline',
    });
  });

  it('still runs when the API server is unreachable (Arc data comes from Azure)', () => {
    const snapshot = {
      ...apiserverSnapshot(undefined, undefined),
      unreachable: { reason: 'ClusterUnreachable' as const, message: 'refused' },
    };
    snapshot.arc = found(view({ connectivityStatus: 'Offline' }));
    const findings = runChecks(snapshot, NOW, SETTINGS);
    expect(findings.find((f) => f.check === 'arc-connectivity')?.reason).toBe('ArcDisconnected');
    expect(findings.filter((f) => f.reason === 'ClusterUnreachable')).toHaveLength(
      CHECKS.filter((c) => !c.offCluster).length,
    );
    delete snapshot.arc;
    expect(runChecks(snapshot, NOW, SETTINGS).some((f) => f.check === 'arc-connectivity')).toBe(false);
  });

  it('checkArcConnectivity reads snapshot.arc', () => {
    const snapshot = {
      ...apiserverSnapshot(undefined, undefined),
      arc: found(view({ connectivityStatus: 'Expired' })),
    };
    expect(checkArcConnectivity(snapshot, NOW, SETTINGS)[0].reason).toBe('ArcDisconnected');
  });
});
