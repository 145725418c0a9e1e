/** Builds snapshots around the real-shaped /readyz and /metrics texts in test/fixtures/apiserver. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UnknownReason } from '../../../jobs/checks/finding.js';
import type { CheckSettings } from '../../../jobs/checks/settings.js';
import type { ClusterSnapshot, Fetched } from '../../../jobs/checks/snapshot.js';
import { emptySnapshot } from '../../fixtures/empty-snapshot.js';

export const NOW = new Date('2026-11-26T12:00:00Z');
export const DAY = 86_400_000;
export const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

export const SETTINGS = {
  encryption: { kekMaxAgeMs: 30 * DAY, kekGraceMs: 2 * DAY, attestedStorageClasses: [] },
  gitops: { required: false },
} as unknown as CheckSettings;

export const fixture = (name: string) =>
  readFileSync(join(__dirname, '../../fixtures/apiserver', name), 'utf8');
export const text = (value: string): Fetched<string> => ({ ok: true, value });
export const file = (name: string): Fetched<string> => text(fixture(name));
export const failed = (reason: UnknownReason, missingRule?: string): Fetched<string> => ({
  ok: false,
  error: { reason, message: `simulated ${reason}`, ...(missingRule ? { missingRule } : {}) },
});

export function apiserverSnapshot(
  readyz: Fetched<string> | undefined,
  metrics: Fetched<string> | undefined,
  extra: Partial<ClusterSnapshot> = {},
): ClusterSnapshot {
  return emptySnapshot(
    { ...(readyz ? { readyz } : {}), ...(metrics ? { metrics } : {}), ...extra },
    'store-042',
    NOW,
  );
}
