/** `/healthz`, `/readyz` and `/metrics` (DESIGN §4), on the chat server or a worker's own. */

import type { HttpServer } from '../adapters/http/http-server.js';
import type { RedisClient } from '../adapters/store/redis-client.js';
import { renderMetrics } from './metrics.js';

/** `ready()`: every enabled chat platform started (Slack's auth.test passed, Teams mounted). */
export function mountHealthRoutes(server: HttpServer, redis: RedisClient, ready: () => boolean): void {
  server.route(
    'GET',
    '/healthz',
    (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n'),
  );
  server.route('GET', '/readyz', async (_req, res) => {
    // BullMQ's connections queue commands while Redis is away (maxRetriesPerRequest: null), so a
    // bare PING would hang the probe: give it one second.
    let timer: NodeJS.Timeout | undefined;
    const redisUp = await Promise.race([
      redis.ping().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(false), 1000);
      }),
    ]);
    clearTimeout(timer);
    const ok = redisUp && ready();
    const why = !redisUp ? 'redis unavailable' : 'chat platforms starting';
    res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ready\n' : `${why}\n`);
  });
  server.route('GET', '/metrics', async (_req, res) => {
    const m = await renderMetrics();
    res.writeHead(200, { 'content-type': m.contentType }).end(m.body);
  });
}
