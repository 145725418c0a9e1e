/**
 * Where dpbot's Redis is, read from the environment (README "Environment", docs/deploy.md):
 * - `REDIS_URL=redis://[user:password@]host:port[/db]`, `rediss://…` for TLS;
 * - `REDIS_URL=redis+cluster://[user:password@]host1:port1,host2:port2` (`rediss+cluster://` for TLS),
 *   or `REDIS_CLUSTER_NODES=host1:port1,host2:port2`: Redis Cluster (seed nodes; the rest is discovered);
 * - `REDIS_TLS_CA_FILE=/path/ca.pem`: trust this CA (PEM) for `rediss` instead of the system store
 *   (NODE_EXTRA_CA_CERTS, which adds to it, works too).
 * Credentials are the URL's user (Redis 6+ ACL user; empty for `default`) and password (an access key
 * on Azure Cache for Redis); Entra ID tokens are not supported.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../bot/errors.js';

export interface RedisNode {
  host: string;
  port: number;
}

export interface RedisTarget {
  cluster: boolean;
  nodes: RedisNode[];
  username?: string;
  password?: string;
  /** Standalone only (Redis Cluster has database 0 only). */
  db?: number;
  /** Set for `rediss`: Node TLS options (`ca` from REDIS_TLS_CA_FILE). */
  tls?: { ca?: string };
}

const SCHEME = /^(rediss?)(\+cluster)?:\/\/(.*)$/;

/** Undefined when neither REDIS_URL nor REDIS_CLUSTER_NODES is set (dpbot then starts its own). */
export function redisTargetFromEnv(env: NodeJS.ProcessEnv): RedisTarget | undefined {
  const url = env.REDIS_URL?.trim();
  const nodes = env.REDIS_CLUSTER_NODES?.trim();
  if (url && nodes) throw new ConfigError(['REDIS_URL and REDIS_CLUSTER_NODES: set one of them, not both']);
  let target: RedisTarget | undefined;
  if (nodes) target = { cluster: true, nodes: parseNodes(nodes, 'REDIS_CLUSTER_NODES') };
  else if (url) target = parseRedisUrl(url);
  if (!target) return undefined;
  const caFile = env.REDIS_TLS_CA_FILE?.trim();
  if (caFile) {
    if (!target.tls)
      throw new ConfigError(['REDIS_TLS_CA_FILE: set, but REDIS_URL is not a rediss:// (TLS) URL']);
    try {
      target.tls = { ca: readFileSync(caFile, 'utf8') };
    } catch (err) {
      throw new ConfigError([
        `REDIS_TLS_CA_FILE: cannot read ${caFile} (${(err as NodeJS.ErrnoException).code})`,
      ]);
    }
  }
  return target;
}

export function parseRedisUrl(url: string): RedisTarget {
  const m = SCHEME.exec(url);
  // Never echo the URL: it may hold a password.
  if (!m)
    throw new ConfigError([
      'REDIS_URL: expected redis://, rediss://, redis+cluster:// or rediss+cluster:// (host:port, optional user:password@)',
    ]);
  const [, scheme, cluster, rest] = m;
  const tls = scheme === 'rediss' ? {} : undefined;
  const at = rest.lastIndexOf('@');
  const auth = at >= 0 ? rest.slice(0, at) : '';
  const [hostsAndDb] = (at >= 0 ? rest.slice(at + 1) : rest).split('?');
  const [hosts, dbPart] = hostsAndDb.split('/');
  const colon = auth.indexOf(':');
  const username = decode(colon >= 0 ? auth.slice(0, colon) : '');
  const password = decode(colon >= 0 ? auth.slice(colon + 1) : auth);
  const nodes = parseNodes(hosts, 'REDIS_URL');
  if (!cluster && nodes.length !== 1)
    throw new ConfigError(['REDIS_URL: several hosts need redis+cluster:// (Redis Cluster)']);
  const db = dbPart ? Number(dbPart) : undefined;
  if (db !== undefined && (!Number.isInteger(db) || db < 0))
    throw new ConfigError(['REDIS_URL: the database after / must be a number']);
  if (cluster && db) throw new ConfigError(['REDIS_URL: Redis Cluster has only database 0']);
  return {
    cluster: Boolean(cluster),
    nodes,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...(db !== undefined && !cluster ? { db } : {}),
    ...(tls ? { tls } : {}),
  };
}

function parseNodes(list: string, name: string): RedisNode[] {
  const nodes = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((hp) => {
      // [::1]:6379 or host:6379 or host (port 6379)
      const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hp);
      if (!m) throw new ConfigError([`${name}: "${hp}" is not host:port`]);
      return { host: m[1].replace(/^\[|\]$/g, ''), port: m[2] ? Number(m[2]) : 6379 };
    });
  if (!nodes.length) throw new ConfigError([`${name}: no host:port given`]);
  return nodes;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
