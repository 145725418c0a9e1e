/** The alert state machine as a pure function: given states and a scan, which transitions and posts. */
import { observe } from '../../../jobs/alerts/alert-rules.js';
import type { AlertState, ClusterAlerts } from '../../../jobs/alerts/alert-state.js';
import { decide } from '../../../jobs/alerts/transitions.js';
import type { CheckName, Finding } from '../../../jobs/checks/finding.js';
import type { ReasonCode } from '../../../jobs/checks/reason-codes.js';
import type { Posture } from '../../../jobs/posture.js';

const MIN = 60_000;
const t0 = Date.parse('2026-11-26T08:00:00Z');
const policy = {
  openAfter: 2,
  renotifyAfterMs: 240 * MIN,
  targets: [{ platform: 'slack' as const, channel: 'C1' }],
};

const f = <C extends CheckName>(
  check: C,
  status: Finding['status'],
  reason: ReasonCode<C>,
  resource?: string,
): Finding<C> => ({
  check,
  status,
  reason,
  message: `${reason} message`,
  ...(resource ? { resource } : {}),
});
const posture = (...findings: Finding[]): Posture => ({
  cluster: 'c1',
  status: 'ok',
  findings,
  scannedAt: '',
  durationMs: 0,
  backups: [],
});

/** Runs scans in order, carrying state like Redis would; returns the ops of each scan. */
function run(scans: { at: number; p: Posture }[], initial: AlertState[] = []) {
  const alerts: ClusterAlerts = {
    version: 0,
    states: new Map(initial.map((s) => [s.key, s])),
    checkSnoozes: new Map(),
  };
  return scans.map(({ at, p }) => {
    const d = decide(alerts, observe(p), policy, new Date(at));
    for (const s of d.changes.put ?? []) alerts.states.set(s.key, s);
    for (const k of d.changes.remove ?? []) alerts.states.delete(k);
    // The notify worker records refs of sent cards.
    for (const n of d.notices)
      if (n.data.op === 'send' && n.data.alert) {
        const s = alerts.states.get(n.data.alert.key);
        if (s) s.refs[n.data.alert.target] = { ...n.data.to, id: `ts-${n.data.alert.key}` };
      }
    return d.notices.map((n) =>
      n.data.op === 'send'
        ? `${n.data.to.thread ? 'reply' : 'post'} ${n.data.message.title ?? n.data.message.summary}`
        : `edit ${n.data.message.title}`,
    );
  });
}

const stale = f('backup-freshness', 'fail', 'BackupStale', 'velero/nightly');
const ok = f('backup-freshness', 'ok', 'BackupFresh', 'velero/nightly');

describe('alert transitions', () => {
  it.each([
    ['fail opens after openAfter scans', stale, [[], ['post c1: backup-freshness BackupStale'], []]],
    [
      'warn SecretNearExpiry alerts',
      f('secret-expiry', 'warn', 'SecretNearExpiry', 'kv/db'),
      [[], ['post c1: secret-expiry SecretNearExpiry'], []],
    ],
    [
      'warn BackupStuck alerts',
      f('backup-freshness', 'warn', 'BackupStuck', 'velero/nightly'),
      [[], ['post c1: backup-freshness BackupStuck'], []],
    ],
    ['other warnings stay quiet', f('backup-coverage', 'warn', 'NamespaceNotBackedUp', 'pos'), [[], [], []]],
    ['ok stays quiet', ok, [[], [], []]],
  ])('%s', (_name, finding, expected) => {
    expect(run([0, 1, 2].map((i) => ({ at: t0 + i * 15 * MIN, p: posture(finding) })))).toEqual(expected);
  });

  it('resolves with an edit and a thread reply when ok again; a pending lapse just disappears', () => {
    const ops = run([
      { at: t0, p: posture(stale) },
      { at: t0 + 15 * MIN, p: posture(stale) },
      { at: t0 + 30 * MIN, p: posture(ok) },
      { at: t0 + 45 * MIN, p: posture(stale) },
      { at: t0 + 60 * MIN, p: posture(ok) },
    ]);
    expect(ops[2]).toEqual([
      'edit Resolved — c1: backup-freshness BackupStale',
      'reply Resolved: c1/backup-freshness/velero/nightly is ok again after 30m.',
    ]);
    expect(ops[3]).toEqual([]);
    expect(ops[4]).toEqual([]);
  });

  it('unknown is never ok: an open alert is neither resolved nor counted while its check is unknown', () => {
    const forbidden = f('backup-freshness', 'unknown', 'Forbidden');
    const ops = run([
      { at: t0, p: posture(stale) },
      { at: t0 + 15 * MIN, p: posture(stale) },
      { at: t0 + 30 * MIN, p: posture(forbidden) },
      { at: t0 + 40 * MIN, p: posture(forbidden) },
    ]);
    expect(ops.slice(2)).toEqual([[], []]);
  });

  it.each([
    [
      'a vault that cannot be listed',
      f('secret-expiry', 'fail', 'SecretExpired', 'keyvault/kv1/db-password'),
      f('secret-expiry', 'unknown', 'Forbidden', 'keyvault/kv1'),
    ],
    [
      'the sync controller Deployments that cannot be listed',
      f('secret-sync', 'fail', 'SyncControllerDown', 'kube-system/secrets-store-sync-controller-manager'),
      f('secret-sync', 'unknown', 'Timeout', 'secrets-store-sync-controller-manager'),
    ],
    [
      'Ingresses that cannot be listed',
      f('transit-encryption', 'fail', 'IngressWithoutTls', 'ingress/pos/shop'),
      f('transit-encryption', 'unknown', 'ApiError', 'ingresses'),
    ],
  ])(
    'unknown is never ok: an open alert stays open while %s leaves its resource unread',
    (_n, lapse, unread) => {
      const other = f(lapse.check, 'ok', lapse.reason, 'something-else');
      const ops = run([
        { at: t0, p: posture(lapse) },
        { at: t0 + 15 * MIN, p: posture(lapse) },
        { at: t0 + 30 * MIN, p: posture(unread, other) },
      ]);
      expect(ops[1]).toHaveLength(1);
      expect(ops[2]).toEqual([]);
    },
  );

  it('an alert resolves when its own resource is seen ok, though another resource of the check is unknown', () => {
    const expired = f('secret-expiry', 'fail', 'SecretExpired', 'keyvault/kv1/db-password');
    const renewed = f('secret-expiry', 'ok', 'SecretNotExpiring', 'keyvault/kv1/db-password');
    const unread = f('secret-expiry', 'unknown', 'Forbidden', 'keyvault/kv2');
    const ops = run([
      { at: t0, p: posture(expired) },
      { at: t0 + 15 * MIN, p: posture(expired) },
      { at: t0 + 30 * MIN, p: posture(renewed, unread) },
    ]);
    expect(ops[2]).toEqual([
      'edit Resolved — c1: secret-expiry SecretExpired',
      'reply Resolved: c1/secret-expiry/keyvault/kv1/db-password is ok again after 30m.',
    ]);
  });

  it('opens "cannot verify protection" once a check has been unknown for 30 minutes', () => {
    const forbidden = f('secret-sync', 'unknown', 'Forbidden');
    const ops = run([0, 10, 20, 29, 31, 40].map((m) => ({ at: t0 + m * MIN, p: posture(forbidden) })));
    expect(ops).toEqual([[], [], [], [], ['post c1: cannot verify protection (secret-sync)'], []]);
  });

  it('a whole unreachable cluster gives one "cannot verify" alert, not one per check', () => {
    const down = (check: Finding['check']) => f(check, 'unknown', 'ClusterUnreachable');
    const p = posture(down('backup-location'), down('backup-freshness'), down('secret-sync'));
    const ops = run([0, 31].map((m) => ({ at: t0 + m * MIN, p })));
    expect(ops[1]).toEqual(['post c1: cannot verify protection (cluster unreachable)']);
  });

  it('a "cannot verify" alert stays open when the whole cluster becomes unreachable (never "ok again")', () => {
    const forbidden = f('backup-location', 'unknown', 'Forbidden');
    const down = (check: Finding['check']) => f(check, 'unknown', 'ClusterUnreachable');
    const ops = run([
      ...[0, 15, 31].map((m) => ({ at: t0 + m * MIN, p: posture(forbidden) })),
      { at: t0 + 46 * MIN, p: posture(down('backup-location'), down('secret-sync')) },
    ]);
    expect(ops[2]).toEqual(['post c1: cannot verify protection (backup-location)']);
    expect(ops[3]).toEqual([]);
  });

  it('a "cannot verify" alert that resolves says the check can be read again, not that it is ok', () => {
    const forbidden = f('backup-location', 'unknown', 'Forbidden');
    const failing = f('backup-location', 'fail', 'BackupLocationUnavailable', 'velero/default');
    const ops = run([
      ...[0, 31].map((m) => ({ at: t0 + m * MIN, p: posture(forbidden) })),
      { at: t0 + 46 * MIN, p: posture(failing) },
    ]);
    expect(ops[2]).toEqual([
      'edit Resolved — c1: cannot verify protection (backup-location)',
      'reply Resolved: c1/backup-location/unknown can be checked again after 46m (its findings are in the status report).',
    ]);
  });

  it('edits when details change and re-notifies in the thread after renotifyAfter', () => {
    const stuck = f('backup-freshness', 'fail', 'BackupFailed', 'velero/nightly');
    const ops = run([
      { at: t0, p: posture(stale) },
      { at: t0 + 15 * MIN, p: posture(stale) },
      { at: t0 + 30 * MIN, p: posture(stuck) },
      { at: t0 + 260 * MIN, p: posture(stuck) },
      { at: t0 + 275 * MIN, p: posture(stuck) },
    ]);
    expect(ops[2]).toEqual(['edit c1: backup-freshness BackupFailed']);
    expect(ops[3]).toEqual(['reply Still failing after 4h20m: BackupFailed — BackupFailed message']);
    expect(ops[4]).toEqual([]);
  });
});
