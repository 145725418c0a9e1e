/** What a digest remembers of the fleet, so the next one can say what changed (kept in Redis). */
import type { Status } from '../checks/finding.js';
import type { Posture } from '../posture.js';

export interface DigestSummary {
  at: string;
  /** cluster → overall status. */
  clusters: Record<string, Status>;
  /** `cluster/check/resource` → status of every finding that is not ok, capped at MAX_LAPSES. */
  lapses: Record<string, Status>;
}

/** Port: the last digest's summary (adapters/store/redis-digest-store.ts). */
export interface DigestStore {
  last(): Promise<DigestSummary | undefined>;
  save(summary: DigestSummary): Promise<void>;
}

export const MAX_LAPSES = 5000;

export function summarize(names: string[], postures: Map<string, Posture>, now: Date): DigestSummary {
  const clusters: Record<string, Status> = {};
  const lapses: Record<string, Status> = {};
  let n = 0;
  for (const name of names) {
    const p = postures.get(name);
    clusters[name] = p?.status ?? 'unknown';
    for (const f of p?.findings ?? []) {
      if (f.status === 'ok' || n >= MAX_LAPSES) continue;
      lapses[`${name}/${f.check}/${f.resource ?? ''}`] = f.status;
      n++;
    }
  }
  return { at: now.toISOString(), clusters, lapses };
}

export interface DigestChanges {
  worse: { cluster: string; from: Status; to: Status }[];
  better: { cluster: string; from: Status; to: Status }[];
  newLapses: number;
  resolvedLapses: number;
}

const RANK: Record<Status, number> = { ok: 0, unknown: 1, warn: 2, fail: 3 };

export function changesSince(prev: DigestSummary, cur: DigestSummary): DigestChanges {
  const worse: DigestChanges['worse'] = [];
  const better: DigestChanges['better'] = [];
  for (const [cluster, to] of Object.entries(cur.clusters)) {
    const from = prev.clusters[cluster];
    if (!from || from === to) continue;
    (RANK[to] > RANK[from] ? worse : better).push({ cluster, from, to });
  }
  const newLapses = Object.keys(cur.lapses).filter((k) => !(k in prev.lapses)).length;
  // Only clusters in this digest: a viewer of some clusters learns nothing about the others.
  const resolvedLapses = Object.keys(prev.lapses).filter(
    (k) => k.split('/')[0] in cur.clusters && !(k in cur.lapses),
  ).length;
  const order = (a: { to: Status; cluster: string }, b: { to: Status; cluster: string }) =>
    RANK[b.to] - RANK[a.to] || a.cluster.localeCompare(b.cluster);
  return { worse: worse.sort(order), better: better.sort(order), newLapses, resolvedLapses };
}
