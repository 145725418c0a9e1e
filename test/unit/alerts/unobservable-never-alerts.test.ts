/**
 * DESIGN §6: a lapse a platform makes unobservable by design never opens an alert — only a read that
 * failed does. These warnings say "cannot be observed" with their own reason; none may ever page.
 */
import { ALERTING_WARN_REASONS, isAlerting, observe } from '../../../jobs/alerts/alert-rules.js';
import type { Finding } from '../../../jobs/checks/finding.js';

const UNOBSERVABLE: Finding[] = [
  {
    check: 'kek-rotation',
    status: 'warn',
    reason: 'KeyRotationNotObservable',
    message: 'KMS v2 without key ids',
  },
  { check: 'kek-rotation', status: 'ok', reason: 'PlatformManagedRotation', message: 'KMS v1' },
  {
    check: 'secrets-at-rest',
    status: 'warn',
    reason: 'EncryptionNotObservable',
    message: 'reload, no samples',
  },
];

describe('unobservable by design never alerts', () => {
  it.each(UNOBSERVABLE.map((f) => [f.reason, f] as const))('%s', (reason, f) => {
    expect(ALERTING_WARN_REASONS.has(reason)).toBe(false);
    expect(isAlerting(f)).toBe(false);
    const seen = observe({
      cluster: 'store-041',
      status: f.status,
      findings: [f],
      scannedAt: '',
      durationMs: 0,
      backups: [],
    });
    expect([...seen.failing.keys()]).toEqual([]);
    expect(seen.unverifiable(f.check)).toBe(false);
  });
});
