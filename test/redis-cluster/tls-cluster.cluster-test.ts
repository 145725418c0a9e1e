/**
 * `rediss+cluster://user:password@…` with REDIS_TLS_CA_FILE: a TLS-only 6-node Redis Cluster (client,
 * bus and replication over TLS) with an ACL user on every node; dpbot's connection, a Lua store and
 * BullMQ work across it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { generate } from 'selfsigned';
import { Keys } from '../../adapters/store/keys.js';
import { connectRedis } from '../../adapters/store/redis-connection.js';
import { RedisProposalStore } from '../../adapters/store/redis-proposals.js';
import { createLogger } from '../../bot/logger.js';
import { cli, type RedisClusterRig, startRedisCluster } from '../support/redis-cluster.js';

jest.setTimeout(60_000);
const dir = mkdtempSync(join(tmpdir(), 'dpbot-tls-cluster-'));
const caFile = join(dir, 'ca.pem');
let rig: RedisClusterRig;

/**
 * A CA and one node certificate for 127.0.0.1. The cluster bus is mutual TLS whatever
 * tls-auth-clients says (Redis accepts bus connections with client auth required), so the node
 * certificate is for clientAuth as well as serverAuth.
 */
async function nodeTls() {
  const notAfterDate = new Date(Date.now() + 86400_000);
  const ca = await generate([{ name: 'commonName', value: 'dpbot test Redis CA' }], {
    keyType: 'ec',
    notAfterDate,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const node = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    notAfterDate,
    algorithm: 'sha256',
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { caCert: ca.cert, cert: node.cert, key: node.private };
}

beforeAll(async () => {
  const tls = await nodeTls();
  writeFileSync(caFile, tls.caCert);
  writeFileSync(join(dir, 'cert.pem'), tls.cert);
  writeFileSync(join(dir, 'key.pem'), tls.key);
  rig = await startRedisCluster(join(dir, 'redis'), {
    tls: { caFile, certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') },
  });
  // ACLs are per node on Redis Cluster.
  for (const n of rig.nodes) await cli(n.port, 'ACL', 'SETUSER', 'dpbot', 'on', '>pw', '~*', '&*', '+@all');
});

afterAll(async () => {
  await rig?.stop();
});

it('connects over TLS as an ACL user and runs Lua steps and BullMQ jobs on the hash-tagged slot', async () => {
  const url = `rediss+cluster://dpbot:pw@${rig.seeds.split(',').slice(0, 2).join(',')}`;
  const conn = await connectRedis(
    { REDIS_URL: url, REDIS_TLS_CA_FILE: caFile },
    'dpbot-tls',
    createLogger('silent'),
  );
  try {
    expect(conn).toMatchObject({ cluster: true, prefix: '{dpbot-tls}' });
    expect(await conn.client.call('ACL', 'WHOAMI')).toBe('dpbot');
    const proposals = new RedisProposalStore(conn.client, new Keys(conn.prefix));
    // A Lua step with two keys (proposal + pending set) runs on the one slot of the tagged prefix.
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
