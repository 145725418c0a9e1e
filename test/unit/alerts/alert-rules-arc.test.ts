/** observe() with Arc findings: they come from Azure, so an unreachable API server does not hide them. */
import { observe } from '../../../jobs/alerts/alert-rules.js';
import type { Finding } from '../../../jobs/checks/finding.js';
import type { Posture } from '../../../jobs/posture.js';

const unreachable = (check: Finding['check']): Finding => ({
  check,
  status: 'unknown',
  reason: 'ClusterUnreachable',
  message: 'cannot reach',
});
const posture = (findings: Finding[]): Posture => ({
  cluster: 'store-043',
  status: 'fail',
  findings,
  scannedAt: '2026-11-26T12:00:00Z',
  durationMs: 1,
  backups: [],
});
const disconnected: Finding = {
  check: 'arc-connectivity',
  status: 'fail',
  reason: 'ArcDisconnected',
  message: 'Offline',
};

describe('observe with arc-connectivity', () => {
  it('an unreachable cluster that Azure reports Offline: one cannot-verify alert and the ArcDisconnected alert', () => {
    const o = observe(posture([unreachable('backup-location'), unreachable('gitops'), disconnected]));
    expect([...o.failing.keys()].sort()).toEqual(['store-043/arc-connectivity', 'store-043/cluster/unknown']);
    expect(o.unverifiable('backup-location')).toBe(true);
    // Arc is verified: its alert may count up and resolve.
    expect(o.unverifiable('arc-connectivity')).toBe(false);
  });

  it('unreachable with Arc unknown too: Arc is unverifiable, still one cannot-verify alert for the cluster', () => {
    const arcUnknown: Finding = {
      check: 'arc-connectivity',
      status: 'unknown',
      reason: 'ApiError',
      message: 'ARG down',
    };
    const o = observe(posture([unreachable('backup-location'), arcUnknown]));
    expect([...o.failing.keys()]).toEqual(['store-043/cluster/unknown']);
    expect(o.unverifiable('arc-connectivity')).toBe(true);
  });

  it('an Azure-only cluster still Connecting (its only finding is ClusterUnreachable) gets a cannot-verify alert', () => {
    const o = observe(posture([unreachable('arc-connectivity')]));
    expect([...o.failing.keys()]).toEqual(['store-043/arc-connectivity/unknown']);
  });
});
