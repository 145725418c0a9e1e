/**
 * Step 4 of a drill (DESIGN §10): delete exactly what the drill made — Retain PVs bound to scratch
 * claims, the scratch namespaces (each only after its `dpbot.io/drill` label was read back equal to
 * this drill's id; the adapter checks again), and the Restore. What fails is kept as a leftover.
 */
import type { ClusterConfig } from '../../bot/config.js';
import { DRILL_LABEL } from './drill-plan.js';
import type { DrillCluster, DrillRecord } from './ports.js';

export interface CleanupResult {
  leftovers: string[];
}

const why = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 200);

export async function cleanupDrill(
  drills: DrillCluster,
  cluster: ClusterConfig,
  r: DrillRecord,
): Promise<CleanupResult> {
  const leftovers: string[] = [];
  const scratch = new Set(Object.values(r.namespaces));
  // PVs first: once a namespace is gone its claims are gone too, but the PVs' claimRef still names it.
  try {
    for (const pv of await drills.listPersistentVolumes(cluster)) {
      if (!pv.claimNamespace || !scratch.has(pv.claimNamespace) || pv.reclaimPolicy !== 'Retain') continue;
      try {
        await drills.deletePersistentVolume(cluster, r.id, pv.name);
      } catch (err) {
        leftovers.push(`PersistentVolume ${pv.name} (${why(err)})`);
      }
    }
  } catch (err) {
    leftovers.push(`PersistentVolumes of ${[...scratch].join(', ')} (cannot list: ${why(err)})`);
  }
  for (const ns of scratch) {
    try {
      // Not there, or not ours (someone made that name meanwhile): nothing of this drill to delete.
      const live = await drills.getNamespace(cluster, ns);
      if (!live || live.labels[DRILL_LABEL] !== r.id) continue;
      await drills.deleteNamespace(cluster, r.id, ns);
    } catch (err) {
      leftovers.push(`Namespace ${ns} (${why(err)})`);
    }
  }
  try {
    await drills.deleteRestore(cluster, r.veleroNamespace, r.restoreName);
  } catch (err) {
    leftovers.push(`Restore ${r.veleroNamespace}/${r.restoreName} (${why(err)})`);
  }
  return { leftovers };
}
