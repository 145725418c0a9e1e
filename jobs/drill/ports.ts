/** Ports the restore drill needs, declared by their consumer (STYLE 6), and the drill record. */
import type { ClusterConfig } from '../../bot/config.js';
import type { Backup, KubeObject } from '../checks/snapshot.js';

/** What is in the scratch namespaces, as the verifier reads it. */
export interface ScratchContents {
  persistentVolumeClaims: KubeObject<{ volumeName?: string }, { phase?: string }>[];
  deployments: KubeObject<{ replicas?: number }, { availableReplicas?: number }>[];
  statefulSets: KubeObject<{ replicas?: number }, { availableReplicas?: number; readyReplicas?: number }>[];
  daemonSets: KubeObject<
    unknown,
    { desiredNumberScheduled?: number; numberAvailable?: number; observedGeneration?: number }
  >[];
  pods: KubeObject<unknown, { phase?: string; conditions?: { type?: string; status?: string }[] }>[];
}

export interface PersistentVolumeRef {
  name: string;
  reclaimPolicy?: string;
  claimNamespace?: string;
  claimName?: string;
}

/**
 * Live reads and the few writes a drill makes. The adapter refuses any namespace write outside
 * `dp-drill-<id>-*` and any Restore delete outside the Velero namespace, whatever the caller asks.
 */
export interface DrillCluster {
  listBackups(cluster: ClusterConfig, veleroNamespace: string): Promise<Backup[]>;
  /** Labels of the namespace, or undefined when it does not exist. */
  getNamespace(cluster: ClusterConfig, name: string): Promise<{ labels: Record<string, string> } | undefined>;
  /** Creates it with the labels; `false` when it already existed (409). */
  createNamespace(
    cluster: ClusterConfig,
    drillId: string,
    name: string,
    labels: Record<string, string>,
  ): Promise<boolean>;
  /** `false` when it was already gone (404). */
  deleteNamespace(cluster: ClusterConfig, drillId: string, name: string): Promise<boolean>;
  listScratch(cluster: ClusterConfig, namespace: string): Promise<ScratchContents>;
  listPersistentVolumes(cluster: ClusterConfig): Promise<PersistentVolumeRef[]>;
  /** Only a Retain volume whose claim is in one of this drill's scratch namespaces. */
  deletePersistentVolume(cluster: ClusterConfig, drillId: string, name: string): Promise<boolean>;
  deleteRestore(cluster: ClusterConfig, veleroNamespace: string, name: string): Promise<boolean>;
}

export type DrillStage = 'namespaces' | 'restoring' | 'verifying' | 'cleaning' | 'done';

/** One drill, kept in Redis: what `/dp drills`, the card and `restore-verified` read. */
export interface DrillRecord {
  id: string;
  cluster: string;
  backup: string;
  /** source → scratch namespace. */
  namespaces: Record<string, string>;
  restoreName: string;
  veleroNamespace: string;
  requester: string;
  scheduled?: boolean;
  stage: DrillStage;
  /** When the execute job first ran (right after the approval). */
  approvedAt: string;
  restorePhase?: string;
  restoreFinishedAt?: string;
  itemsRestored?: number;
  totalItems?: number;
  warnings?: number;
  errors?: number;
  failureReason?: string;
  /** `3/5 ready` while verifying. */
  verifyProgress?: string;
  readyAt?: string;
  verdict?: 'passed' | 'failed';
  /** What failed: `PVC dp-drill-…/data Pending`, `Restore PartiallyFailed (1 errors)`, … */
  failures?: string[];
  /** Approval → Restore finished, and → everything Ready (ms). */
  restoreMs?: number;
  readyMs?: number;
  finishedAt?: string;
  cleanup?: 'done' | 'failed';
  /** What could not be deleted yet (retried by the next scan). */
  leftovers?: string[];
  cleanupAttempts?: number;
}

export interface DrillStore {
  get(id: string): Promise<DrillRecord | undefined>;
  put(record: DrillRecord): Promise<void>;
  /** Newest first. */
  latest(cluster: string, limit: number): Promise<DrillRecord[]>;
  /** Drills whose cleanup failed and still have leftovers. */
  withLeftovers(cluster: string): Promise<DrillRecord[]>;
  /** One scheduled drill per interval: true for the first caller within `ms` (atomic across replicas). */
  claimSchedule(cluster: string, ms: number): Promise<boolean>;
}
