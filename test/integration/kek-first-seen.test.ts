import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { Keys } from '../../adapters/store/keys.js';
import { RedisKekFirstSeen } from '../../adapters/store/redis-kek-first-seen.js';
import type { ClusterConfig } from '../../bot/config.js';
import { checkKekRotation } from '../../jobs/checks/kek-rotation.js';
import type { CheckSettings } from '../../jobs/checks/settings.js';
import type { ClusterSnapshot } from '../../jobs/checks/snapshot.js';
import { KekFirstSeenEnricher, type KekFirstSeenStore } from '../../jobs/kek-first-seen-enricher.js';
import { emptySnapshot } from '../fixtures/empty-snapshot.js';
import { newRedis, uniquePrefix } from '../support/redis.js';

const DAY = 86_400_000;
const T0 = new Date('2026-11-26T12:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);
const OLD = 'sha256:71d458cfab78fc464d7007170ecf1e9d02fdcdf8d2c3a636ba61d4c93c99b426';
const NEW = 'sha256:e234a79331dafed2de104a13ebab1e489793ac144cd87d4c168db82ba41cb9a7';
const CLUSTER = { name: 'store-042' } as ClusterConfig;
const SETTINGS = {
  encryption: { kekMaxAgeMs: 30 * DAY, kekGraceMs: 2 * DAY, attestedStorageClasses: [] },
} as unknown as CheckSettings;
const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/apiserver', name), 'utf8');

/** Key id metrics of one KMS v2 provider whose Status call returns `current`. */
function metricsWith(current: string, now: Date): string {
  const s = now.getTime() / 1000;
  return [
    `apiserver_envelope_encryption_key_id_hash_status_last_timestamp_seconds{apiserver_id_hash="sha256:a",key_id_hash="${current}",provider_name="azurekmsprovider"} ${s - 20}`,
    `apiserver_envelope_encryption_key_id_hash_total{apiserver_id_hash="sha256:a",key_id_hash="${current}",provider_name="azurekmsprovider",transformation_type="to_storage"} 3`,
  ].join('\n');
}
function snapshot(metrics: string): ClusterSnapshot {
  return emptySnapshot({ metrics: { ok: true, value: metrics } }, CLUSTER.name, T0);
}

describe('KEK first-seen times in Redis (real Redis)', () => {
  let redis: Redis;
  let keys: Keys;
  let enricher: KekFirstSeenEnricher;

  beforeEach(() => {
    redis = newRedis();
    keys = new Keys(uniquePrefix('kek'));
    enricher = new KekFirstSeenEnricher(new RedisKekFirstSeen(redis, keys));
  });
  afterEach(async () => {
    await redis.quit();
  });

  async function scan(metrics: string, now: Date) {
    const snap = snapshot(metrics);
    await enricher.enrich(CLUSTER, snap, now);
    return { snap, finding: checkKekRotation(snap, now, SETTINGS)[0] };
  }

  it('keeps the first sighting across scans and measures a rotation from it', async () => {
    const first = await scan(fixture('metrics-kms-v2-rotated.txt'), T0);
    expect(first.snap.kekFirstSeen).toEqual({ [OLD]: T0.toISOString(), [NEW]: T0.toISOString() });
    expect(first.finding).toMatchObject({
      status: 'ok',
      reason: 'KeyRotated',
      evidence: { ageIsLowerBound: true },
    });

    // 31 days later the same key is still in use: within 30d + 2d grace, its age only a lower bound.
    expect((await scan(metricsWith(NEW, at(31)), at(31))).finding).toMatchObject({
      status: 'ok',
      reason: 'KeyRotated',
    });
    const overdue = await scan(metricsWith(NEW, at(33)), at(33));
    expect(overdue.finding).toMatchObject({ status: 'fail', reason: 'KeyRotationOverdue' });
    expect(overdue.finding.message).toMatch(/for at least 33d/);

    // The KEK rotates: a new hash appears, first seen now; the stored times of older hashes stay.
    const ROTATED = 'sha256:9b1f0e6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c4b3a29';
    const rotated = await scan(metricsWith(ROTATED, at(34)), at(34));
    expect(rotated.snap.kekFirstSeen).toEqual({
      [OLD]: T0.toISOString(),
      [NEW]: T0.toISOString(),
      [ROTATED]: at(34).toISOString(),
    });
    expect(rotated.finding).toMatchObject({
      status: 'ok',
      reason: 'KeyRotated',
      evidence: { ageIsLowerBound: false },
    });
    expect(rotated.finding.message).toMatch(/rotated to key sha256:9b1f0e6d5c4b… 0s ago/);
    expect(await redis.hgetall(keys.key('kek-first-seen', CLUSTER.name))).toEqual(rotated.snap.kekFirstSeen);
  });

  it('lets the first of two concurrent scans win (HSETNX), on every replica', async () => {
    const store = new RedisKekFirstSeen(redis, keys);
    const other = newRedis();
    try {
      const [a, b] = await Promise.all([
        store.recordFirstSeen('store-042', [NEW], at(0)),
        new RedisKekFirstSeen(other, keys).recordFirstSeen('store-042', [NEW], at(1)),
      ]);
      expect(a).toEqual(b);
      expect([at(0).toISOString(), at(1).toISOString()]).toContain(a[NEW]);
      expect(await store.recordFirstSeen('store-042', [NEW], at(5))).toEqual(a);
      expect(await store.recordFirstSeen('store-043', [NEW], at(5))).toEqual({ [NEW]: at(5).toISOString() });
    } finally {
      await other.quit();
    }
  });

  it('leaves the snapshot alone without KMS v2 metrics, and says unknown when the store fails', async () => {
    const noKeys = snapshot(fixture('metrics-kms-v1.txt'));
    await enricher.enrich(CLUSTER, noKeys, T0);
    expect(noKeys.kekFirstSeen).toBeUndefined();
    expect(await redis.exists(keys.key('kek-first-seen', CLUSTER.name))).toBe(0);

    const warnings: object[] = [];
    const broken: KekFirstSeenStore = {
      recordFirstSeen: () =>
        Promise.reject(new Error("READONLY You can't write against a read only replica.")),
    };
    const snap = snapshot(fixture('metrics-kms-v2-rotated.txt'));
    await new KekFirstSeenEnricher(broken, { warn: (obj) => void warnings.push(obj) }).enrich(
      CLUSTER,
      snap,
      T0,
    );
    expect(snap.kekFirstSeen).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(checkKekRotation(snap, T0, SETTINGS)[0]).toMatchObject({ status: 'unknown', reason: 'ApiError' });
  });
});
