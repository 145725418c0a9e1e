/**
 * Alert state in Redis: one hash per cluster (field = alert key → JSON, `snooze|<check>` → until)
 * and a version counter. A Lua script commits a change only if the version is unchanged, so
 * concurrent scans of one cluster (several workers, a scheduled and a `/dp status` scan) never
 * both act on the same transition. No WATCH: the connection is shared with BullMQ and others.
 */

import type { AlertChanges, AlertState, AlertStore, ClusterAlerts } from '../../jobs/alerts/alert-state.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';

const SNOOZE = 'snooze|';
/** The field holding ClusterAlerts.scanStartedMs (no alert key contains `|`). */
const SCAN_STARTED = 'scan|started';

const COMMIT = `
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[1] then return 0 end
local puts = tonumber(ARGV[2])
local i = 3
for _ = 1, puts do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  i = i + 2
end
while i <= #ARGV do
  redis.call('HDEL', KEYS[1], ARGV[i])
  i = i + 1
end
redis.call('INCR', KEYS[2])
return 1
`;

export class RedisAlertStore implements AlertStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  private hash(cluster: string): string {
    return this.keys.key('alerts', cluster);
  }
  private version(cluster: string): string {
    return this.keys.key('alerts', cluster, 'version');
  }

  async read(cluster: string): Promise<ClusterAlerts> {
    const res = await this.redis.multi().get(this.version(cluster)).hgetall(this.hash(cluster)).exec();
    if (!res) throw new Error(`reading alert state of ${cluster} was aborted`);
    for (const [err] of res) if (err) throw err;
    const fields = (res[1][1] ?? {}) as Record<string, string>;
    const states = new Map<string, AlertState>();
    const checkSnoozes = new Map<string, string>();
    for (const [field, value] of Object.entries(fields)) {
      if (field === SCAN_STARTED) continue;
      if (field.startsWith(SNOOZE)) checkSnoozes.set(field.slice(SNOOZE.length), value);
      else states.set(field, JSON.parse(value) as AlertState);
    }
    const alerts: ClusterAlerts = { version: Number(res[0][1] ?? 0), states, checkSnoozes };
    if (fields[SCAN_STARTED] !== undefined) alerts.scanStartedMs = Number(fields[SCAN_STARTED]);
    return alerts;
  }

  async commit(cluster: string, version: number, changes: AlertChanges): Promise<boolean> {
    const puts: string[] = [];
    for (const s of changes.put ?? []) puts.push(s.key, JSON.stringify(s));
    for (const [check, until] of Object.entries(changes.snoozes ?? {})) puts.push(SNOOZE + check, until);
    if (changes.scanStartedMs !== undefined) puts.push(SCAN_STARTED, String(changes.scanStartedMs));
    const removes = [...(changes.remove ?? []), ...(changes.removeSnoozes ?? []).map((c) => SNOOZE + c)];
    const ok = await this.redis.eval(
      COMMIT,
      2,
      this.hash(cluster),
      this.version(cluster),
      String(version),
      String(puts.length / 2),
      ...puts,
      ...removes,
    );
    return ok === 1;
  }
}
