/** REDIS_URL / REDIS_CLUSTER_NODES / REDIS_TLS_CA_FILE parsing and the Redis Cluster hash-tag rule. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterPrefix } from '../../adapters/store/redis-connection.js';
import { parseRedisUrl, redisTargetFromEnv } from '../../adapters/store/redis-env.js';
import { ConfigError } from '../../bot/errors.js';

describe('redisTargetFromEnv', () => {
  it('reads a plain URL, a TLS URL with an ACL user and a database', () => {
    expect(parseRedisUrl('redis://cache:6380')).toEqual({
      cluster: false,
      nodes: [{ host: 'cache', port: 6380 }],
    });
    expect(parseRedisUrl('rediss://dpbot:p%40ss%3Aword@my.redis.cache.windows.net:6380/2')).toEqual({
      cluster: false,
      nodes: [{ host: 'my.redis.cache.windows.net', port: 6380 }],
      username: 'dpbot',
      password: 'p@ss:word',
      db: 2,
      tls: {},
    });
    // Azure access key: password only (user `default`).
    expect(parseRedisUrl('rediss://:key%3D@h:6380')).toMatchObject({ password: 'key=', tls: {} });
    expect(parseRedisUrl('redis://h')).toMatchObject({ nodes: [{ host: 'h', port: 6379 }] });
  });

  it('reads Redis Cluster seeds from redis+cluster://, rediss+cluster:// or REDIS_CLUSTER_NODES', () => {
    expect(parseRedisUrl('rediss+cluster://u:pw@10.0.0.1:7000,10.0.0.2:7001,[::1]:7002')).toEqual({
      cluster: true,
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      username: 'u',
      password: 'pw',
      tls: {},
    });
    expect(redisTargetFromEnv({ REDIS_CLUSTER_NODES: 'a:1, b:2' })).toEqual({
      cluster: true,
      nodes: [
        { host: 'a', port: 1 },
        { host: 'b', port: 2 },
      ],
    });
    expect(redisTargetFromEnv({})).toBeUndefined();
  });

  it('refuses bad settings with a config error that never echoes the password', () => {
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        redisTargetFromEnv(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as ConfigError).problems.join('\n');
      }
      return 'no error';
    };
    expect(problems({ REDIS_URL: 'http://u:hunter2@h:1' })).not.toContain('hunter2');
    expect(problems({ REDIS_URL: 'http://u:hunter2@h:1' })).toMatch(/REDIS_URL: expected redis:\/\//);
    expect(problems({ REDIS_URL: 'redis://a:1,b:2' })).toMatch(/redis\+cluster/);
    expect(problems({ REDIS_URL: 'redis+cluster://a:1/3' })).toMatch(/only database 0/);
    expect(problems({ REDIS_URL: 'redis://a:1', REDIS_CLUSTER_NODES: 'a:1' })).toMatch(/not both/);
    expect(problems({ REDIS_URL: 'redis://a:1', REDIS_TLS_CA_FILE: '/x.pem' })).toMatch(/not a rediss/);
    expect(problems({ REDIS_URL: 'rediss://a:1', REDIS_TLS_CA_FILE: '/no/such.pem' })).toMatch(/cannot read/);
  });

  it('REDIS_TLS_CA_FILE is the CA dpbot trusts for rediss', () => {
    const ca = join(mkdtempSync(join(tmpdir(), 'dpbot-ca-')), 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\n');
    expect(redisTargetFromEnv({ REDIS_URL: 'rediss://h:6380', REDIS_TLS_CA_FILE: ca })?.tls).toEqual({
      ca: '-----BEGIN CERTIFICATE-----\n',
    });
  });
});

describe('clusterPrefix', () => {
  it('keeps a prefix with a {hash tag} and wraps one without (DESIGN: `{dpbot}`)', () => {
    expect(clusterPrefix('dpbot')).toBe('{dpbot}');
    expect(clusterPrefix('{dpbot}')).toBe('{dpbot}');
    expect(clusterPrefix('prod-{dpbot}')).toBe('prod-{dpbot}');
    // `{}` is no hash tag for Redis (the whole key is hashed).
    expect(clusterPrefix('a{}')).toBe('{a{}}');
  });
});

describe('createRedisClient', () => {
  it('Redis Cluster over TLS checks node certificates against the seed host name, not the announced IPs', async () => {
    const { createRedisClient } = await import('../../adapters/store/redis-connection.js');
    const opts = (url: string) => {
      const c = createRedisClient(parseRedisUrl(url), { redisOptions: { lazyConnect: true } });
      const o = (
        c as unknown as { options: { redisOptions: { tls?: object; maxRetriesPerRequest: unknown } } }
      ).options.redisOptions;
      c.disconnect();
      return o;
    };
    expect(opts('rediss+cluster://:k@my.redis.cache.windows.net:6380')).toMatchObject({
      tls: { servername: 'my.redis.cache.windows.net' },
      password: 'k',
      maxRetriesPerRequest: null,
    });
    expect(opts('rediss+cluster://10.0.0.1:6380').tls).toEqual({});
    expect(opts('redis+cluster://10.0.0.1:6380').tls).toBeUndefined();
  });
});
