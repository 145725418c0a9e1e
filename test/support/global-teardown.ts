import type { RedisProcess } from '../../adapters/store/redis-launcher.js';

export default async function globalTeardown(): Promise<void> {
  const redis = (globalThis as { __dpbotRedis?: RedisProcess }).__dpbotRedis;
  await redis?.stop();
}
