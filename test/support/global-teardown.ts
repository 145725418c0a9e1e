import type { RedisProcess } from './redis-process.js';

export default async function globalTeardown(): Promise<void> {
  const redis = (globalThis as { __dpbotRedis?: RedisProcess }).__dpbotRedis;
  await redis?.stop();
}
