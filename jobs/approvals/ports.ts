/** Ports the approval flow needs, declared by their consumer (STYLE 6). */
import type { MessageRef } from '../../bot/chat-port.js';
import type { ClusterConfig } from '../../bot/config.js';
import type { BotMessage } from '../../bot/message.js';
import type { Backup, BackupStorageLocation, Schedule } from '../checks/snapshot.js';
import type { Outcome, Proposal, ProposalRequest, VeleroAction } from './proposal.js';

/** The outcome of an atomic step: `stale` when the proposal changed since the rule read it. */
export type StepResult = 'applied' | 'stale';

export interface ProposalStore {
  create(p: Proposal): Promise<void>;
  get(id: string): Promise<Proposal | undefined>;
  /** Pending proposals, soonest-expiring first. */
  pending(): Promise<Proposal[]>;
  /**
   * Stores `approvals` (and status approved when `approved`) as one atomic step, only if `read` is
   * still pending with the approvals and hash it had when `decideApproval` saw it.
   */
  countApproval(read: Proposal, approvals: string[], approved: boolean): Promise<StepResult>;
  /** pending → rejected by `by`, as one atomic step; stale when it was no longer pending. */
  markRejected(id: string, by: string, reason?: string): Promise<StepResult>;
  /** pending → expired; false when it was no longer pending. */
  expire(id: string): Promise<boolean>;
  /** approved → running; true also when it was already running (a retried job). */
  startRun(id: string): Promise<boolean>;
  markCreated(id: string): Promise<void>;
  /** Stores progress; true when it differs from the last stored progress. */
  recordProgress(id: string, progress: Outcome): Promise<boolean>;
  finish(id: string, status: 'succeeded' | 'failed', outcome: Outcome): Promise<void>;
}

export type AuditEventType =
  | 'request'
  | 'preflight-failed'
  | 'proposed'
  | 'approve'
  | 'approved'
  | 'refused'
  | 'reject'
  | 'expire'
  | 'create'
  | 'outcome'
  | 'cleanup';

export interface AuditEvent {
  at: string;
  cluster: string;
  /** Identity, or `dpbot` for the bot's own steps. */
  actor: string;
  event: AuditEventType;
  /** `restore nightly-1 → velero/nightly-1-2026…`, a refusal reason, … */
  what: string;
  outcome: string;
  proposal?: string;
}

export interface AuditLog {
  append(e: AuditEvent): Promise<void>;
  latest(cluster: string, limit: number): Promise<AuditEvent[]>;
}

/** Live Velero reads and creates; `undefined` = not found. */
export interface VeleroClient {
  getBackup(cluster: ClusterConfig, namespace: string, name: string): Promise<Backup | undefined>;
  getSchedule(cluster: ClusterConfig, namespace: string, name: string): Promise<Schedule | undefined>;
  listBackupStorageLocations(cluster: ClusterConfig, namespace: string): Promise<BackupStorageLocation[]>;
  /** Creates the object; `exists` carries the object already stored under that name (409). */
  create(
    cluster: ClusterConfig,
    action: VeleroAction,
  ): Promise<{ created: true } | { created: false; existing: Record<string, unknown> }>;
  /** The object's current `status` and labels, or undefined when it is gone. */
  getObject(
    cluster: ClusterConfig,
    action: VeleroAction,
  ): Promise<{ labels: Record<string, string>; status: Record<string, unknown> } | undefined>;
}

/** What handlers enqueue (BullMQ behind it). */
export interface ActionRequests {
  preflight(proposalId: string, request: ProposalRequest): Promise<void>;
  execute(proposalId: string): Promise<void>;
  /** A delayed job at `atMs` that marks the proposal expired if it is still pending. */
  expireAt(proposalId: string, atMs: number): Promise<void>;
  updateCard(ref: MessageRef, message: BotMessage, version: string): Promise<void>;
}
