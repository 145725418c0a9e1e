/**
 * Fills `snapshot.kekFirstSeen`: the first time dpbot saw each KMS v2 key id hash on a cluster. The
 * API server says which key is in use but not since when, so kek-rotation measures a key's age from
 * the first scan that saw it. The times live in Redis so restarts and other replicas agree.
 */
import type { ClusterConfig } from '../bot/config.js';
import { KEY_ID_HASH_METRICS, keyIdHashes } from './checks/encryption-evidence.js';
import { parseMetrics } from './checks/parse-metrics.js';
import type { ClusterSnapshot } from './checks/snapshot.js';
import type { SnapshotEnricher } from './scan-job.js';

/** Port (adapters/store/redis-kek-first-seen.ts). */
export interface KekFirstSeenStore {
  /**
   * Records `at` as the first-seen time of each hash not seen before (first writer wins), and
   * returns every hash ever recorded for the cluster with its first-seen time (ISO).
   */
  recordFirstSeen(cluster: string, keyIdHashes: readonly string[], at: Date): Promise<Record<string, string>>;
}

/** The part of a pino logger the enricher uses. */
export interface EnricherLogger {
  warn(obj: object, msg: string): void;
}

export class KekFirstSeenEnricher implements SnapshotEnricher {
  constructor(
    private readonly store: KekFirstSeenStore,
    private readonly logger?: EnricherLogger,
  ) {}

  async enrich(cluster: ClusterConfig, snapshot: ClusterSnapshot, now: Date): Promise<void> {
    if (!snapshot.metrics?.ok) return;
    const hashes = [
      ...new Set(
        keyIdHashes(parseMetrics(snapshot.metrics.value, [...KEY_ID_HASH_METRICS]).samples).map(
          (k) => k.keyIdHash,
        ),
      ),
    ].sort();
    if (hashes.length === 0) return;
    try {
      snapshot.kekFirstSeen = await this.store.recordFirstSeen(cluster.name, hashes, now);
    } catch (err) {
      // Leave kekFirstSeen unset: kek-rotation then reports `unknown` instead of failing the whole scan.
      this.logger?.warn({ err, cluster: cluster.name }, 'while recording KMS key first-seen times');
    }
  }
}
