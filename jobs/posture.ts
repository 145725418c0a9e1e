/** The result of one scan, cached in Redis and read by `/dp status`, `/dp clusters`, `/dp backups`. */
import type { Finding, Status } from './checks/finding.js';

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
}

export interface Posture {
  cluster: string;
  status: Status;
  findings: Finding[];
  scannedAt: string;
  durationMs: number;
  /** Newest first, capped. */
  backups: BackupSummary[];
}

/** Port: where postures live (adapters/store implements it on Redis). */
export interface PostureStore {
  get(cluster: string): Promise<Posture | undefined>;
  getMany(clusters: string[]): Promise<Map<string, Posture>>;
  put(posture: Posture): Promise<void>;
}
