/**
 * dpbot on a TLS Redis with an ACL user, the way Azure Cache for Redis is reached (`rediss://`,
 * user:password in the URL): a local redis-server with --tls-port only, a throwaway CA
 * (REDIS_TLS_CA_FILE) and `ACL SETUSER dpbot`; the default user is switched off.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Queue, Worker } from 'bullmq';
import { Keys } from '../../adapters/store/keys.js';
import {
  connectRedis,
  createRedisClient,
  type RedisConnection,
} from '../../adapters/store/redis-connection.js';
import { parseRedisUrl } from '../../adapters/store/redis-env.js';
import { freePort } from '../../adapters/store/redis-launcher.js';
import { RedisProposalStore } from '../../adapters/store/redis-proposals.js';
import { createLogger } from '../../bot/logger.js';
import { fakeTls } from '../fakes/kube-api/tls.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'dpbot-redis-tls-'));
const caFile = join(dir, 'ca.pem');
let port: number;
let server: ChildProcess;
const logger = createLogger('silent');

async function cli(...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', [
    '--tls',
    '--cacert',
    caFile,
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    ...args,
  ]);
  return stdout.trim();
}

beforeAll(async () => {
  const tls = await fakeTls();
  writeFileSync(caFile, tls.caCert);
  writeFileSync(join(dir, 'cert.pem'), tls.cert);
  writeFileSync(join(dir, 'key.pem'), tls.key);
  port = await freePort();
  server = spawn(
    'redis-server',
    [
      '--port',
      '0',
      '--tls-port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--tls-cert-file',
      join(dir, 'cert.pem'),
      '--tls-key-file',
      join(dir, 'key.pem'),
      '--tls-ca-cert-file',
      caFile,
      '--tls-auth-clients',
      'no',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    server.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
    server.once('exit', (code) =>
      reject(new Error(`redis-server (TLS) exited with ${code}: ${out.slice(-400)}`)),
    );
  });
  server.stdout?.resume();
  expect(await cli('ACL', 'SETUSER', 'dpbot', 'on', '>s3cret pw', '~*', '&*', '+@all')).toBe('OK');
  expect(await cli('ACL', 'SETUSER', 'default', 'off')).toBe('OK');
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    process.kill(-(server.pid as number), 'SIGKILL');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

const url = () => `rediss://dpbot:${encodeURIComponent('s3cret pw')}@127.0.0.1:${port}`;

it('connects with rediss://user:password@ and REDIS_TLS_CA_FILE; stores and BullMQ work over it', async () => {
  const conn: RedisConnection = await connectRedis(
    { REDIS_URL: url(), REDIS_TLS_CA_FILE: caFile },
    'dpbot',
    logger,
  );
  try {
    expect(conn.cluster).toBe(false);
    expect(await conn.client.call('ACL', 'WHOAMI')).toBe('dpbot');
    // A Lua-backed store and a BullMQ queue + worker round trip, all over TLS as the ACL user.
    const proposals = new RedisProposalStore(conn.client, new Keys(conn.prefix));
    expect(await proposals.expire('nope')).toBe(false);
    const queue = new Queue('tls-check', { connection: conn.client, prefix: conn.prefix });
    const worker = new Worker('tls-check', async (job) => job.data.n * 2, {
      connection: conn.client,
      prefix: conn.prefix,
    });
    const done = new Promise<unknown>((resolve) => worker.on('completed', (_job, result) => resolve(result)));
    await queue.add('x', { n: 21 });
    expect(await done).toBe(42);
    await worker.close();
    await queue.close();
  } finally {
    await conn.close();
  }
});

/** One connection attempt, no retries: the error it fails with. */
async function connectError(u: string, ca?: string): Promise<string> {
  const target = parseRedisUrl(u);
  if (ca) target.tls = { ca };
  const client = createRedisClient(target, {
    redisOptions: { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 },
  });
  let emitted: Error | undefined;
  client.on('error', (err: Error) => {
    emitted ??= err;
  });
  try {
    await client.connect();
    await client.ping();
    return 'connected';
  } catch (err) {
    // A failed TLS handshake surfaces as an 'error' event; the command only sees the closed connection.
    return (emitted ?? (err as Error)).message;
  } finally {
    client.disconnect();
  }
}

it('refuses a server certificate from an unknown CA, a wrong password and the disabled default user', async () => {
  const { caCert } = await fakeTls();
  expect(await connectError(url())).toMatch(/self.signed|certificate|unable to verify/i);
  expect(await connectError(`rediss://dpbot:wrong@127.0.0.1:${port}`, caCert)).toMatch(/WRONGPASS/);
  expect(await connectError(`rediss://127.0.0.1:${port}`, caCert)).toMatch(/NOAUTH/);
  expect(await connectError(url(), caCert)).toBe('connected');
});
