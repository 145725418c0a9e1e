import type { Redis } from 'ioredis';
import { Keys } from '../../adapters/store/keys.js';
import { RedisBackupTargets } from '../../adapters/store/redis-backup-targets.js';
import type { ClusterConfig } from '../../bot/config.js';
import {
  type BackupTargetStore,
  BackupTargetsEnricher,
  backupTargetOf,
} from '../../jobs/backup-targets-enricher.js';
import { checkBackupLocation } from '../../jobs/checks/backup-location.js';
import type { CheckSettings } from '../../jobs/checks/settings.js';
import type { BackupStorageLocation, ClusterSnapshot } from '../../jobs/checks/snapshot.js';
import * as b from '../fakes/kube-api/builders.js';
import { emptySnapshot } from '../fixtures/empty-snapshot.js';
import { newRedis, uniquePrefix } from '../support/redis.js';

const T0 = new Date('2026-11-26T12:00:00Z');
const HOUR = 3_600_000;
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);
const SETTINGS = { backups: { veleroNamespace: 'velero' } } as CheckSettings;
const cluster = (name: string) => ({ name }) as ClusterConfig;

/** An AKS-Arc-shaped Azure location: container `velero` in a storage account, optional prefix. */
function azure(account: string, prefix?: string, name = 'default'): BackupStorageLocation {
  return b.backupStorageLocation(name, {
    spec: {
      provider: 'velero.io/azure',
      objectStorage: { bucket: 'velero', ...(prefix ? { prefix } : {}) },
      config: { resourceGroup: 'rg-backups', storageAccount: account, subscriptionId: 'sub-1' },
    },
  });
}
function snapshot(name: string, ...bsls: BackupStorageLocation[]): ClusterSnapshot {
  return emptySnapshot({ backupStorageLocations: { ok: true, items: bsls } }, name, T0);
}

describe('backup targets shared across the fleet (real Redis)', () => {
  let redis: Redis;
  let enricher: BackupTargetsEnricher;
  let fleet: string[];

  beforeEach(() => {
    redis = newRedis();
    fleet = ['store-041', 'store-042', 'store-043'];
    enricher = new BackupTargetsEnricher(new RedisBackupTargets(redis, new Keys(uniquePrefix('bt'))), {
      fleet: () => new Set(fleet),
    });
  });
  afterEach(async () => {
    await redis.quit();
  });

  async function scan(name: string, now: Date, ...bsls: BackupStorageLocation[]) {
    const snap = snapshot(name, ...bsls);
    await enricher.enrich(cluster(name), snap, now);
    return { snap, findings: checkBackupLocation(snap, now, SETTINGS) };
  }

  it('warns both clusters writing to one bucket+prefix, and stops when one moves to its own prefix', async () => {
    expect((await scan('store-041', at(0), azure('stbackups'))).snap.sharedBackupTargets).toEqual({
      default: [],
    });
    const second = await scan('store-042', at(0.25), azure('stbackups'));
    expect(second.snap.sharedBackupTargets).toEqual({ default: ['store-041'] });
    expect(second.findings).toMatchObject([
      { status: 'warn', reason: 'BackupLocationShared', resource: 'velero/default' },
    ]);
    expect(second.findings[0].message).toMatch(/same bucket and prefix as cluster\(s\) store-041;/);
    const first = await scan('store-041', at(0.5), azure('stbackups'));
    expect(first.findings[0]).toMatchObject({
      reason: 'BackupLocationShared',
      evidence: { sharedWith: 'store-042' },
    });

    // store-042 gets its own prefix: its old target forgets it, so store-041 is no longer warned.
    expect((await scan('store-042', at(1), azure('stbackups', 'store-042'))).findings[0].reason).toBe(
      'BackupLocationAvailable',
    );
    expect((await scan('store-041', at(1.25), azure('stbackups'))).findings[0].reason).toBe(
      'BackupLocationAvailable',
    );
  });

  it('tells same-named containers of different storage accounts apart', async () => {
    await scan('store-041', at(0), azure('stbackups041'));
    const other = await scan('store-042', at(0), azure('stbackups042'));
    expect(other.snap.sharedBackupTargets).toEqual({ default: [] });
    expect(other.findings[0].reason).toBe('BackupLocationAvailable');
  });

  it('forgets clusters that stopped scanning or left the fleet', async () => {
    await scan('store-041', at(0), azure('stbackups'));
    await scan('store-043', at(47), azure('stbackups'));
    expect((await scan('store-042', at(49), azure('stbackups'))).snap.sharedBackupTargets).toEqual({
      default: ['store-043'],
    });
    fleet = ['store-042'];
    expect((await scan('store-042', at(49.5), azure('stbackups'))).snap.sharedBackupTargets).toEqual({
      default: [],
    });
  });

  it("does not count a ReadOnly location (a DR cluster reading another cluster's bucket)", async () => {
    await scan('store-041', at(0), azure('stbackups'));
    const reader = azure('stbackups');
    const dr = { ...reader, spec: { ...reader.spec, accessMode: 'ReadOnly' } } as BackupStorageLocation;
    const drScan = await scan('store-042', at(0.25), dr);
    expect(drScan.snap.sharedBackupTargets).toEqual({});
    expect(drScan.findings[0].reason).toBe('BackupLocationAvailable');
    expect((await scan('store-041', at(0.5), azure('stbackups'))).snap.sharedBackupTargets).toEqual({
      default: [],
    });
  });

  it('claims nothing when the store fails', async () => {
    const warnings: object[] = [];
    const broken: BackupTargetStore = { record: () => Promise.reject(new Error('LOADING Redis is loading')) };
    const snap = snapshot('store-042', azure('stbackups'));
    await new BackupTargetsEnricher(broken, { logger: { warn: (o) => void warnings.push(o) } }).enrich(
      cluster('store-042'),
      snap,
      T0,
    );
    expect(snap.sharedBackupTargets).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(checkBackupLocation(snap, T0, SETTINGS)[0].reason).toBe('BackupLocationAvailable');
  });

  it.each([
    ['provider alias', { provider: 'azure' }, true],
    ['prefix slashes', { objectStorage: { bucket: 'velero', prefix: '/shared/' } }, true],
    ['another prefix', { objectStorage: { bucket: 'velero', prefix: 'store-9' } }, false],
    ['another account', { config: { storageAccount: 'other' } }, false],
  ])('target identity: %s → same target %s', (_what, spec, same) => {
    const base = b.backupStorageLocation('default', {
      spec: {
        provider: 'velero.io/azure',
        objectStorage: { bucket: 'velero', prefix: 'shared' },
        config: { storageAccount: 'stbackups' },
      },
    });
    const variant = { ...base, spec: { ...base.spec, ...spec } } as BackupStorageLocation;
    expect(backupTargetOf(variant) === backupTargetOf(base)).toBe(same);
  });
});
