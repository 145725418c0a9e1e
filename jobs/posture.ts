/** The result of one scan, cached in Redis and read by `/dp status`, `/dp clusters`, `/dp backups`. */
import type { CheckName, Finding, Status } from './checks/finding.js';

export interface BackupSummary {
  name: string;
  schedule?: string;
  phase: string;
  /** completion (or start/creation) time, ISO. */
  at?: string;
  errors: number;
  warnings: number;
  storageLocation?: string;
  includedNamespaces?: string[];
  /** completion − start in seconds (running: scan time − start), for `/dp chart <cluster>`. */
  durationS?: number;
}

export interface Posture {
  cluster: string;
  status: Status;
  findings: Finding[];
  scannedAt: string;
  durationMs: number;
  /** Newest first, capped. */
  backups: BackupSummary[];
  /** Why the Backups could not be listed (then `backups` is empty but unknown, not "none"). */
  backupsError?: { reason: string; message: string };
}

/** When the posture's scan started reading the cluster (ms): `scannedAt` less its duration. */
export function scanStartedMs(p: Pick<Posture, 'scannedAt' | 'durationMs'>): number {
  return Date.parse(p.scannedAt) - p.durationMs;
}

/** Port: where postures live (adapters/store implements it on Redis). */
export interface PostureStore {
  get(cluster: string): Promise<Posture | undefined>;
  getMany(clusters: string[]): Promise<Map<string, Posture>>;
  /**
   * Stores the posture unless one from a scan that started later is stored already (two scans of a
   * cluster can end out of order); false when it was stale and not stored.
   */
  put(posture: Posture): Promise<boolean>;
}

/** More `ok` findings than this with the same check and reason are kept and shown as one line. */
export const OK_LINES_PER_REASON = 5;

/**
 * `ok` findings of one check and reason beyond OK_LINES_PER_REASON become one line that counts them (a
 * cluster with 200 synced secrets shows "200 ok: …", not 200 lines); anything not ok stays one per line.
 * Postures are stored so: every reader (reports, fleet table, metrics) needs no more, and a 200-secret
 * cluster's posture is 3 KB instead of 250 KB to fetch and parse on every `/dp status`. Idempotent.
 */
export function compactFindings(findings: readonly Finding[]): Finding[] {
  // check → reason → the ok findings (no key string per finding: a scan has ~650 of them).
  const groups = new Map<string, Map<string, Finding[]>>();
  const groupOf = (f: Finding) => groups.get(f.check)?.get(f.reason);
  for (const f of findings) {
    if (f.status !== 'ok') continue;
    const g = groupOf(f);
    if (g) g.push(f);
    else {
      const byReason = groups.get(f.check) ?? new Map<string, Finding[]>();
      byReason.set(f.reason, [f]);
      groups.set(f.check, byReason);
    }
  }
  const out: Finding[] = [];
  for (const f of findings) {
    const g = f.status === 'ok' ? groupOf(f) : undefined;
    if (!g || g.length <= OK_LINES_PER_REASON) out.push(f);
    else if (g[0] === f) out.push(summaryOf(g));
  }
  return out;
}

function summaryOf<C extends CheckName>(group: Finding<C>[]): Finding<C> {
  const named = group.map((f) => f.resource).filter((r): r is string => Boolean(r));
  const shown = named.slice(0, 3).join(', ');
  const count = group.reduce((n, f) => n + (f.count ?? 1), 0);
  const rest = count - Math.min(3, named.length);
  return {
    check: group[0].check,
    status: 'ok',
    reason: group[0].reason,
    count,
    message: `${count} ok${shown ? `: ${shown}${rest > 0 ? ` and ${rest} more` : ''}` : ''}`,
  };
}
