import type { RedisClusterRig } from './redis-cluster.js';

export default async function clusterGlobalTeardown(): Promise<void> {
  await (globalThis as { __dpbotRedisCluster?: RedisClusterRig }).__dpbotRedisCluster?.stop();
}
