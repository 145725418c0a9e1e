/** bot/runtime-env.ts: the environment is read once, validated before anything connects. */
import { createServer, type Socket } from 'node:net';
import { buildConfig } from '../../bot/config.js';
import { ConfigError } from '../../bot/errors.js';
import { createLogger } from '../../bot/logger.js';
import { startDpbot } from '../../bot/main.js';
import { loadRuntimeEnv, proxyEnv } from '../../bot/runtime-env.js';

describe('loadRuntimeEnv', () => {
  it('treats empty variables as unset and a bad scan concurrency as the default', () => {
    const env = loadRuntimeEnv({ SLACK_APP_TOKEN: '', MicrosoftAppId: '', DPBOT_SCAN_CONCURRENCY: 'lots' });
    expect(env.SLACK_APP_TOKEN).toBeUndefined();
    expect(env.MicrosoftAppId).toBeUndefined();
    expect(env.DPBOT_SCAN_CONCURRENCY).toBeUndefined();
    expect(loadRuntimeEnv({ DPBOT_SCAN_CONCURRENCY: '8' }).DPBOT_SCAN_CONCURRENCY).toBe(8);
  });

  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }],
    [{}],
  ])('accepts %j', (env) => expect(() => loadRuntimeEnv(env)).not.toThrow());

  it('reads PORT and LOG_LEVEL as given, empty as unset, and names a bad one with the fix', () => {
    expect(loadRuntimeEnv({ PORT: '', LOG_LEVEL: '' })).toMatchObject({
      PORT: undefined,
      LOG_LEVEL: undefined,
    });
    expect(loadRuntimeEnv({ PORT: '0', LOG_LEVEL: 'debug' })).toMatchObject({
      PORT: '0',
      LOG_LEVEL: 'debug',
    });
    expect(() => loadRuntimeEnv({ PORT: '3000x', LOG_LEVEL: 'verbose' })).toThrow(
      new ConfigError([
        'LOG_LEVEL: must be a pino level: fatal, error, warn, info, debug, trace, silent',
        'PORT: must be a TCP port number (0-65535), e.g. PORT=3000',
      ]),
    );
  });

  it('names the missing Slack secret and the fix', () => {
    expect(() => loadRuntimeEnv({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(
      new ConfigError([
        'SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)',
      ]),
    );
  });

  it('passes only the proxy variables on', () => {
    expect(
      proxyEnv(loadRuntimeEnv({ HTTPS_PROXY: 'http://p:3128', NO_PROXY: 'x', SLACK_BOT_TOKEN: '' })),
    ).toEqual({
      HTTPS_PROXY: 'http://p:3128',
      NO_PROXY: 'x',
      HTTP_PROXY: undefined,
      http_proxy: undefined,
      https_proxy: undefined,
      no_proxy: undefined,
    });
  });
});

describe('startDpbot with a Slack config error', () => {
  it('stops before it connects to Redis', async () => {
    const sockets: Socket[] = [];
    const server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      await expect(
        startDpbot({
          config: buildConfig({ clusters: [{ name: 'store-1' }] }, 'test'),
          env: { SLACK_BOT_TOKEN: 'xoxb-1', REDIS_URL: `redis://127.0.0.1:${port}` },
          logger: createLogger('silent'),
        }),
      ).rejects.toThrow(/SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN/);
      expect(sockets).toHaveLength(0);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    }
  });
});
