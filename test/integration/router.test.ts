import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RedisPostureStore } from '../../adapters/store/redis-posture-store.js';
import type { CommandRequest, Reply } from '../../bot/chat-port.js';
import { buildConfig } from '../../bot/config.js';
import type { Router } from '../../bot/router.js';
import type { ScanJobData, ScanResult } from '../../jobs/scan-job.js';
import { newRedis, uniquePrefix } from '../support/redis.js';
import { type RouterRig, startRouterRig } from '../support/router-rig.js';

describe('router and read-only handlers (real Redis, real BullMQ queue)', () => {
  let redis: Redis;
  let queue: Queue<ScanJobData, ScanResult>;
  let rig: RouterRig;
  let router: Router;
  let postures: RedisPostureStore;
  const now = new Date('2026-11-26T12:00:00Z');
  const config = buildConfig(
    {
      clusters: [{ name: 'store-042' }, { name: 'secret-site', access: { viewers: ['slack:T1/BOSS'] } }],
    },
    'test',
  );

  beforeAll(() => {
    redis = newRedis();
    const prefix = uniquePrefix('router');
    rig = startRouterRig({ redis, prefix, config, clock: { now: () => now } });
    ({ router } = rig);
    postures = rig.stores.postures;
    queue = rig.queues?.scan as Queue<ScanJobData, ScanResult>;
  });
  afterAll(async () => {
    await rig.close();
    await redis.quit();
  });

  const ask = (text: string, user = 'slack:T1/U1', deliveryId?: string): Promise<Reply> => {
    const req: CommandRequest = {
      platform: 'slack',
      user: { id: user, groups: [] },
      conversation: { platform: 'slack', channel: 'C1' },
      text,
      deliveryId,
    };
    return router.handle(req);
  };
  const textOf = (r: Reply) => JSON.stringify(r.message).replaceAll('\\"', '"');

  it.each([
    ['/dp frobnicate', /Unknown command "frobnicate"/],
    ['status', /Which cluster\?/],
    ['status Store_42', /not a valid cluster name/],
    ['status store-99', /Unknown cluster "store-99"\. Known clusters: store-042\./],
    ['status store-042 --colour red', /Unknown option --colour/],
    ['status store-042 --bogus', /Unknown option --bogus/],
    ['backups store-042 --verbose --limit 2', /Unknown option --verbose/],
    ['backups store-042 --limit 0', /--limit must be a whole number from 1 to 100/],
    ['backups store-042 --limit', /--limit needs a value/],
  ])('%s → a clear error with usage', async (text, pattern) => {
    const reply = await ask(text);
    expect(reply.message.kind).toBe('error');
    expect(reply.ephemeral).toBe(true);
    expect(textOf(reply)).toMatch(pattern);
  });

  it('hides clusters the caller may not view', async () => {
    expect(textOf(await ask('status secret-site'))).toMatch(/Unknown cluster "secret-site"/);
    const boss = await ask('status secret-site', 'slack:T1/BOSS');
    expect(boss.message.kind).toBe('status-report');
  });

  it('status answers from the cache at once, then queues one scan per cluster for the update', async () => {
    await postures.put({
      cluster: 'store-042',
      status: 'fail',
      findings: [
        {
          check: 'backup-freshness',
          status: 'fail',
          reason: 'BackupStale',
          message: 'old',
          resource: 'velero/nightly',
        },
      ],
      scannedAt: '2026-11-26T11:58:00Z',
      durationMs: 1200,
      backups: [],
    });
    const reply = await ask('status store-042', 'slack:T1/U1', 'delivery-1');
    expect(reply.message.title).toBe('store-042: fail');
    expect(textOf(reply)).toContain('BackupStale');
    expect(textOf(reply)).toContain('scanned 2m ago');
    const followUp = await reply.afterPost!({ platform: 'slack', channel: 'C1', id: '1.0' });
    expect(followUp).toEqual({ expectUpdate: true });
    // The same delivery again (a platform retry) queues nothing new.
    await (await ask('status store-042', 'slack:T1/U1', 'delivery-1')).afterPost!({
      platform: 'slack',
      channel: 'C1',
      id: '1.0',
    });
    const jobs = await queue.getJobs(['waiting']);
    expect(jobs.map((j) => [j.id, j.data.cluster])).toEqual([['cmd-delivery-1-store-042', 'store-042']]);
  });

  it('status --refresh does what every status does (DESIGN §2): answers now, queues a fresh scan', async () => {
    const reply = await ask('status store-042 --refresh', 'slack:T1/U1', 'delivery-refresh');
    expect(reply.message.title).toMatch(/^store-042/);
    expect(await reply.afterPost!({ platform: 'slack', channel: 'C1', id: '2.0' })).toEqual({
      expectUpdate: true,
    });
    const job = await queue.getJob('cmd-delivery-refresh-store-042');
    expect(job?.data).toEqual({ cluster: 'store-042', trigger: 'command' });
  });

  it('clusters lists only visible clusters with their status', async () => {
    const reply = await ask('clusters');
    expect(reply.message.kind).toBe('fleet');
    const table = reply.message.sections[0];
    expect(table.type === 'table' && table.rows.map((r) => r.slice(0, 2))).toEqual([['store-042', 'fail']]);
  });

  it('whoami shows the identity and roles per cluster', async () => {
    const reply = await ask('whoami', 'slack:T1/BOSS');
    expect(textOf(reply)).toContain('slack:T1/BOSS');
    expect(reply.message.sections[1]).toEqual({
      type: 'table',
      columns: ['cluster', 'roles'],
      rows: [
        ['store-042', 'viewer'],
        ['secret-site', 'viewer'],
      ],
    });
  });

  it('help lists every command and explains one', async () => {
    expect(textOf(await ask('help'))).toContain('/dp backups <cluster> [--schedule S] [--limit N]');
    const one = await ask('help status');
    expect(textOf(one)).toContain('/dp status <cluster>|all [--refresh]');
    // The usage is in the body; the title names the command (it used to repeat the usage above it).
    expect(one.message.title).toBe('/dp status');
  });
});
