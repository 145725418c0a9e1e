/** Which Arc clusters are configured clusters (by `azure.resourceId`, else by name) and which are Azure only. */
import type { ClusterConfig } from '../../bot/config.js';
import type { ArcFleetEntry } from './arc-inventory.js';
import { normaliseArcName, suffixedArcName } from './arc-names.js';

type Joinable = Pick<ClusterConfig, 'name' | 'azure'>;

/** Lower-cased resource ids of the Arc clusters that configured clusters stand for. */
export function joinedIds(clusters: readonly Joinable[], entries: readonly ArcFleetEntry[]): Set<string> {
  const out = new Set<string>();
  const byName = new Map<string, string[]>();
  for (const e of entries) {
    const id = e.view.cluster.id.toLowerCase();
    for (const n of new Set([e.name, normaliseArcName(e.view.cluster.name)]))
      byName.set(n, [...(byName.get(n) ?? []), id]);
  }
  for (const c of clusters) {
    if (c.azure) out.add(c.azure.resourceId.toLowerCase());
    else for (const id of byName.get(c.name) ?? []) out.add(id);
  }
  return out;
}

export function azureOnlyEntries(
  clusters: readonly Joinable[],
  entries: readonly ArcFleetEntry[],
): ArcFleetEntry[] {
  const joined = joinedIds(clusters, entries);
  const configured = new Set(clusters.map((c) => c.name));
  // An Arc cluster named like a configured cluster that is joined to another resource keeps a name of its own.
  return entries
    .filter((e) => !joined.has(e.view.cluster.id.toLowerCase()))
    .map((e) => (configured.has(e.name) ? { ...e, name: suffixedArcName(e.name, e.view.cluster.id) } : e))
    .sort((a, b) => a.name.localeCompare(b.name));
}
