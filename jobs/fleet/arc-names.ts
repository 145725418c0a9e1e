/**
 * dpbot names for Arc clusters. Azure allows names that are not DNS-1123 labels (`Store_042`,
 * upper case); users type DNS-1123 names, so each is normalised (`store-042`). Two clusters that
 * normalise alike (other resource groups or subscriptions) both get a stable suffix from their
 * resource id, and neither takes the bare name.
 */
import { createHash } from 'node:crypto';
import { toClusterName } from '../../bot/config.js';
import type { ArcClusterView } from '../checks/arc-snapshot.js';

export function normaliseArcName(azureName: string): string {
  return toClusterName(azureName);
}

export function suffixedArcName(base: string, id: string): string {
  const tag = createHash('sha256').update(id.toLowerCase()).digest('hex').slice(0, 6);
  return `${base.slice(0, 56).replace(/-+$/, '')}-${tag}`;
}

/** Lower-cased resource id → dpbot name. */
export function assignArcNames(views: readonly ArcClusterView[]): Map<string, string> {
  const byBase = new Map<string, string[]>();
  for (const v of views) {
    const base = normaliseArcName(v.cluster.name);
    const ids = byBase.get(base) ?? [];
    ids.push(v.cluster.id.toLowerCase());
    byBase.set(base, ids);
  }
  const out = new Map<string, string>();
  for (const [base, ids] of byBase) {
    const unique = [...new Set(ids)];
    for (const id of unique) out.set(id, unique.length === 1 ? base : suffixedArcName(base, id));
  }
  return out;
}
