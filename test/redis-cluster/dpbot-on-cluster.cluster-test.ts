/**
 * dpbot itself (bot/main.ts, role all) on Redis Cluster via REDIS_CLUSTER_NODES: it starts, is ready,
 * keeps every key under the `{dpbot}` hash tag (one slot) and its scan job scheduler lands there.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { Queue } from 'bullmq';
import { buildConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { type Dpbot, startDpbot } from '../../bot/main.js';
import { isCluster, newRedisClient } from '../support/redis.js';

let bot: Dpbot | undefined;
afterAll(async () => {
  await bot?.stop();
});

it('starts on Redis Cluster with a hash-tagged prefix: ready, scheduler synced, all keys in one slot', async () => {
  // An untagged prefix, as most configs have: dpbot puts it in braces on Redis Cluster.
  const prefix = `dpbot-main-${randomBytes(3).toString('hex')}`;
  bot = await startDpbot({
    config: buildConfig(
      {
        redis: { prefix },
        clusters: [{ name: 'store-1', kubeconfig: '/nonexistent', context: 'x', scanInterval: '1h' }],
      },
      't',
    ),
    role: 'all',
    env: { REDIS_CLUSTER_NODES: process.env.REDIS_CLUSTER_NODES, PORT: '0' },
    logger: createLogger('silent'),
    stdin: new PassThrough(),
    stdout: new PassThrough(),
  });
  const ready = await fetch(`http://127.0.0.1:${bot.httpPort}/readyz`);
  expect([ready.status, await ready.text()]).toEqual([200, 'ready\n']);
  const redis = newRedisClient();
  const queue = new Queue('scan', { connection: redis, prefix: `{${prefix}}` });
  try {
    expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual(['scan:store-1']);
    const slot = await redis.call('CLUSTER', 'KEYSLOT', `{${prefix}}`);
    // dpbot's keys are in that slot, on one primary (so Lua scripts and MULTI never cross slots).
    // COUNTKEYSINSLOT counts on the node asked: ask every primary (only the owner has keys there).
    if (!isCluster(redis)) throw new Error('cluster mode expected');
    const counts = await Promise.all(
      redis
        .nodes('master')
        .map(async (n) => Number(await n.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot)))),
    );
    expect(counts.filter((n) => n > 0)).toHaveLength(1);
    const untagged = new Queue('scan', { connection: redis, prefix });
    expect(await untagged.getJobSchedulers()).toEqual([]);
    await untagged.close();
  } finally {
    await queue.close();
    await redis.quit();
  }
});
