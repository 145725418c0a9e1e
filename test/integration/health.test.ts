import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { type RedisProcess, startRedisServer } from '../../adapters/store/redis-launcher.js';
import { buildConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { type Dpbot, startDpbot } from '../../bot/main.js';

describe('GET /healthz and /readyz', () => {
  let redis: RedisProcess;
  let revived: ChildProcess | undefined;
  let bot: Dpbot;
  let base: string;

  beforeAll(async () => {
    // A private server this test may stop, to see /readyz turn 503.
    redis = await startRedisServer(mkdtempSync(join(tmpdir(), 'dpbot-health-')));
    bot = await startDpbot({
      config: buildConfig({ clusters: [{ name: 'store-1', kubeconfig: '/nonexistent', context: 'x' }] }, 't'),
      role: 'web',
      env: { REDIS_URL: redis.url, PORT: '0' },
      logger: createLogger('silent'),
      stdin: new PassThrough(),
      stdout: new PassThrough(),
    });
    base = `http://127.0.0.1:${bot.httpPort}`;
  });
  afterAll(async () => {
    await bot.stop();
    await redis.stop();
    if (revived && revived.exitCode === null) {
      const exited = new Promise((r) => revived?.once('exit', r));
      revived.kill('SIGTERM');
      await exited;
    }
  });

  async function readyz(): Promise<[number, string]> {
    const r = await fetch(`${base}/readyz`);
    return [r.status, await r.text()];
  }

  it('serves Teams at /api/messages even without an app id, and 404s unknown paths', async () => {
    expect((await fetch(`${base}/api/messages`, { method: 'POST', body: 'not json' })).status).toBe(400);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
  it('is alive and ready with Redis up, not ready once Redis is gone, alive all the while', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await readyz()).toEqual([200, 'ready\n']);
    await redis.stop();
    expect(await readyz()).toEqual([503, 'redis unavailable\n']);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    // Redis back on the same port: ready again without a restart of dpbot.
    const port = new URL(redis.url).port;
    revived = spawn(
      'redis-server',
      ['--port', port, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    let again = await readyz();
    for (let i = 0; i < 100 && again[0] !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      again = await readyz();
    }
    expect(again).toEqual([200, 'ready\n']);
  });
});
