/** jest.cluster.config.cjs: one 6-node Redis Cluster for the whole cluster run (test/support/redis-cluster.ts). */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// globalSetup runs outside jest's module mapper, so load the .ts module by its extension-less path.
const { startRedisCluster } = require('./redis-cluster') as typeof import('./redis-cluster.js');

export default async function clusterGlobalSetup(): Promise<void> {
  const rig = await startRedisCluster(join(tmpdir(), `dpbot-test-redis-cluster-${process.pid}`));
  process.env.DPBOT_TEST_REDIS = 'cluster';
  process.env.REDIS_CLUSTER_NODES = rig.seeds;
  delete process.env.REDIS_URL;
  process.stderr.write(
    `\nRedis Cluster (3 primaries + 3 replicas) ready in ${rig.startMs} ms on ${rig.seeds}\n`,
  );
  (globalThis as { __dpbotRedisCluster?: unknown }).__dpbotRedisCluster = rig;
}
