import type { RedisProcess } from '../../adapters/store/redis-launcher.js';

const { crdSummary } = require('./crd-locator') as typeof import('./crd-locator.js');

export default async function globalTeardown(): Promise<void> {
  const redis = (globalThis as { __dpbotRedis?: RedisProcess }).__dpbotRedis;
  await redis?.stop();
  // After jest's own summary: whether this run validated against the real CRDs, and what it skipped.
  process.stdout.write(`${crdSummary()}\n`);
}
