import type { ArcFleetEntry, ArcFleetMeta, ArcFleetStore } from '../../jobs/fleet/arc-inventory.js';
import { normaliseArcName } from '../../jobs/fleet/arc-names.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';

/**
 * The Arc fleet in three keys: `arc:meta` (JSON), `arc:clusters` (hash: lower-cased resource id →
 * entry) and `arc:names` (hash: dpbot name or normalised Azure name → ids, comma-separated). A scan
 * reads one entry (HGET), never the whole fleet; a refresh replaces all three in one MULTI.
 */
export class RedisArcFleetStore implements ArcFleetStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  private k(part: string): string {
    return this.keys.key('arc', part);
  }

  async getMeta(): Promise<ArcFleetMeta | undefined> {
    const raw = await this.redis.get(this.k('meta'));
    return raw ? (JSON.parse(raw) as ArcFleetMeta) : undefined;
  }

  async putMeta(meta: ArcFleetMeta): Promise<void> {
    await this.redis.set(this.k('meta'), JSON.stringify(meta));
  }

  async replace(meta: ArcFleetMeta, entries: ArcFleetEntry[]): Promise<void> {
    const names = new Map<string, Set<string>>();
    const add = (name: string, id: string) => {
      const s = names.get(name) ?? new Set<string>();
      s.add(id);
      names.set(name, s);
    };
    for (const e of entries) {
      const id = e.view.cluster.id.toLowerCase();
      add(e.name, id);
      add(normaliseArcName(e.view.cluster.name), id);
    }
    const m = this.redis.multi().del(this.k('clusters'), this.k('names'));
    if (entries.length)
      m.hset(
        this.k('clusters'),
        ...entries.flatMap((e) => [e.view.cluster.id.toLowerCase(), JSON.stringify(e)]),
      );
    if (names.size) m.hset(this.k('names'), ...[...names].flatMap(([n, ids]) => [n, [...ids].join(',')]));
    m.set(this.k('meta'), JSON.stringify(meta));
    await m.exec();
  }

  async list(): Promise<ArcFleetEntry[]> {
    const all = await this.redis.hvals(this.k('clusters'));
    return all.map((raw) => JSON.parse(raw) as ArcFleetEntry);
  }

  async byId(resourceId: string): Promise<ArcFleetEntry | undefined> {
    const raw = await this.redis.hget(this.k('clusters'), resourceId.toLowerCase());
    return raw ? (JSON.parse(raw) as ArcFleetEntry) : undefined;
  }

  async idsByName(name: string): Promise<string[]> {
    const raw = await this.redis.hget(this.k('names'), name);
    return raw ? raw.split(',') : [];
  }
}
