/** One private redis-server for the whole test run, unless REDIS_URL is set. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// globalSetup runs outside jest's module mapper, so load the .ts module by its extension-less path.
const { startRedisServer } =
  require('../../adapters/store/redis-launcher') as typeof import('../../adapters/store/redis-launcher.js');
const { announceCrds } = require('./crd-locator') as typeof import('./crd-locator.js');
const { dropOutsideSettings } = require('./outside-env') as typeof import('./outside-env.js');

export default async function globalSetup(): Promise<void> {
  const dropped = dropOutsideSettings(process.env);
  if (dropped.length)
    process.stdout.write(
      `\ntests: ignoring ${dropped.join(', ')} from your environment (the tests use loopback fakes)\n`,
    );
  // Said once for the whole run; CI (DPBOT_REQUIRE_CRDS=1) stops here when the CRDs are missing.
  announceCrds(process.env, join(mkdtempSync(join(tmpdir(), 'dpbot-test-crds-')), 'skipped.txt'));
  if (process.env.REDIS_URL) return;
  const redis = await startRedisServer(join(tmpdir(), `dpbot-test-redis-${process.pid}`));
  process.env.REDIS_URL = redis.url;
  (globalThis as { __dpbotRedis?: unknown }).__dpbotRedis = redis;
}
