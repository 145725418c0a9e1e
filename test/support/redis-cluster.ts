/**
 * A real 6-node Redis Cluster on loopback (3 primaries + 3 replicas) for the cluster test run and the
 * failover test. Each redis-server runs in its own process group, so stop() and kill() end exactly
 * the processes started here, by pid.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ClusterNode {
  port: number;
  pid: number;
  child: ChildProcess;
}

export interface RedisClusterRig {
  nodes: ClusterNode[];
  /** `127.0.0.1:p1,127.0.0.1:p2,…` for REDIS_CLUSTER_NODES. */
  seeds: string;
  /** Milliseconds from the first spawn to cluster_state:ok on every node. */
  startMs: number;
  /** Port of the primary that owns `key`'s hash slot. */
  primaryFor(key: string): Promise<number>;
  /** SIGKILLs one node's process group. */
  kill(port: number): Promise<void>;
  /** Waits until every live node reports cluster_state:ok, replicas are in sync and `primary` (if given) is one. */
  waitHealthy(opts?: { primary?: number; timeoutMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

/** Free loopback ports p where p+10000 (the cluster bus port) is free too. */
async function freePorts(n: number): Promise<number[]> {
  const { createServer } = await import('node:net');
  const tryPort = (port: number) =>
    new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
  const ports: number[] = [];
  let candidate = 20000 + Math.floor(Math.random() * 30000);
  while (ports.length < n) {
    candidate += 1;
    if (candidate > 55000) candidate = 20000;
    if ((await tryPort(candidate)) && (await tryPort(candidate + 10000))) ports.push(candidate);
  }
  return ports;
}

/** PEM files of a TLS-only cluster (`--tls-port`, `--tls-cluster`, `--tls-replication`). */
export interface ClusterTls {
  certFile: string;
  keyFile: string;
  caFile: string;
}

/** redis-cli flags per TLS node port. */
const cliTls = new Map<number, string[]>();

export async function cli(port: number, ...args: string[]): Promise<string> {
  const tls = cliTls.get(port) ?? [];
  const { stdout } = await run('redis-cli', [...tls, '-h', '127.0.0.1', '-p', String(port), ...args], {
    timeout: 10_000,
  });
  return stdout;
}

function spawnNode(port: number, dir: string, tls?: ClusterTls): Promise<ClusterNode> {
  const listen = tls
    ? [
        ...['--port', '0', '--tls-port', String(port), '--tls-cluster', 'yes', '--tls-replication', 'yes'],
        ...['--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile, '--tls-ca-cert-file', tls.caFile],
        ...['--tls-auth-clients', 'no'],
      ]
    : ['--port', String(port)];
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    'redis-server',
    [
      ...listen,
      '--bind',
      '127.0.0.1',
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      join(dir, 'nodes.conf'),
      // Short enough for a quick failover test, long enough not to flap on a loaded machine.
      '--cluster-node-timeout',
      '2000',
      '--save',
      '',
      // Replicas sync at once (diskless, without the default 5 s wait for more replicas).
      '--repl-diskless-sync-delay',
      '0',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`redis-server ${port} did not start: ${out.slice(-300)}`)),
      15_000,
    );
    child.once('error', reject);
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve({ port, pid: child.pid as number, child });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server ${port} exited with ${code}: ${out.slice(-300)}`));
    });
  });
}

function killGroup(node: ClusterNode, signal: NodeJS.Signals): Promise<void> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    node.child.once('exit', () => resolve());
    try {
      process.kill(-node.pid, signal);
    } catch {
      resolve();
    }
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startRedisCluster(
  baseDir: string,
  opts: { tls?: ClusterTls } = {},
): Promise<RedisClusterRig> {
  const t0 = Date.now();
  const ports = await freePorts(6);
  const nodes: ClusterNode[] = [];
  const tlsFlags = opts.tls ? ['--tls', '--cacert', opts.tls.caFile] : [];
  if (opts.tls) for (const p of ports) cliTls.set(p, tlsFlags);
  // Safety net: a test process that ends without stop() (a hook timed out) still kills its nodes.
  const killOnExit = () => {
    for (const n of nodes)
      try {
        process.kill(-n.pid, 'SIGKILL');
      } catch {
        // already gone
      }
  };
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    await Promise.all(nodes.map((n) => killGroup(n, 'SIGKILL')));
    for (const p of ports) cliTls.delete(p);
    rmSync(baseDir, { recursive: true, force: true });
  };
  try {
    nodes.push(...(await Promise.all(ports.map((p) => spawnNode(p, join(baseDir, String(p)), opts.tls)))));
    await run(
      'redis-cli',
      [
        ...tlsFlags,
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ],
      { timeout: 60_000 },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  const alive = () => nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
  const rig: RedisClusterRig = {
    nodes,
    seeds: ports.map((p) => `127.0.0.1:${p}`).join(','),
    startMs: 0,
    async primaryFor(key) {
      const slot = Number((await cli(alive()[0].port, 'cluster', 'keyslot', key)).trim());
      const lines = (await cli(alive()[0].port, 'cluster', 'nodes')).trim().split('\n');
      for (const line of lines) {
        const [, addr, flags, , , , , , ...ranges] = line.split(' ');
        if (!flags.includes('master') || flags.includes('fail')) continue;
        for (const r of ranges) {
          const [a, b = a] = r.split('-').map(Number);
          if (slot >= a && slot <= b) return Number(addr.split(':')[1].split('@')[0]);
        }
      }
      throw new Error(`no primary owns slot ${slot}`);
    },
    async kill(port) {
      const node = nodes.find((n) => n.port === port);
      if (!node) throw new Error(`no node on ${port}`);
      await killGroup(node, 'SIGKILL');
    },
    async waitHealthy({ primary, timeoutMs = 30_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const states = await Promise.all(alive().map((n) => cli(n.port, 'cluster', 'info').catch(() => '')));
        // Replicas must have finished their sync: one that never did refuses to take over
        // ("Disconnected from master for longer than allowed").
        const repl = await Promise.all(
          alive().map((n) => cli(n.port, 'info', 'replication').catch(() => '')),
        );
        const ok =
          states.every((s) => s.includes('cluster_state:ok')) &&
          repl.every((r) => r.includes('role:master') || r.includes('master_link_status:up'));
        const role = primary ? await cli(primary, 'role').catch(() => '') : 'master';
        if (ok && role.startsWith('master')) return;
        if (Date.now() > deadline) {
          const view = await cli(alive()[0].port, 'cluster', 'nodes').catch((e: Error) => e.message);
          throw new Error(`Redis Cluster not healthy after ${timeoutMs} ms:\n${view}`);
        }
        await sleep(100);
      }
    },
    stop,
  };
  try {
    await rig.waitHealthy({ timeoutMs: 30_000 });
  } catch (err) {
    await stop();
    throw err;
  }
  rig.startMs = Date.now() - t0;
  return rig;
}

/**
 * The replica (port) of the primary on `port`. Gossip can take a moment to tell the primary about a
 * replica that `--cluster create` attached last, and that replica needs its first sync before it can
 * take over, so it asks again for up to 15 s.
 */
export async function replicaOf(port: number, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = (await cli(port, 'cluster', 'nodes')).trim().split('\n');
    const me = lines.find((l) => l.includes('myself'))?.split(' ')[0];
    const replica = lines.find((l) => l.split(' ')[3] === me);
    const replicaPort = replica ? Number(replica.split(' ')[1].split(':')[1].split('@')[0]) : undefined;
    // A replica that has not finished its first sync refuses to take over: wait for its link too.
    if (replicaPort && (await cli(replicaPort, 'info', 'replication')).includes('master_link_status:up'))
      return replicaPort;
    if (Date.now() > deadline) throw new Error(`no replica of ${port}:\n${lines.join('\n')}`);
    await sleep(100);
  }
}
