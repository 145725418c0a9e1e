/** Ports the approval flow needs, declared by their consumer (STYLE 6). */
import type { MessageRef } from '../../bot/chat-port.js';
import type { ClusterConfig } from '../../bot/config.js';
import type { BotMessage } from '../../bot/message.js';
import type { Backup, BackupStorageLocation, Schedule } from '../checks/snapshot.js';
import type { Outcome, Proposal, ProposalRequest, VeleroAction } from './proposal.js';

/** Result of the atomic approve step. */
export type ApproveResult =
  | { result: 'approved'; proposal: Proposal }
  | { result: 'counted'; proposal: Proposal }
  | { result: 'not-found' }
  | { result: 'not-pending'; status: string }
  | { result: 'expired' }
  | { result: 'hash-mismatch' }
  | { result: 'self' }
  | { result: 'already' };

export type RejectResult =
  | { result: 'rejected'; proposal: Proposal }
  | { result: 'not-found' }
  | { result: 'not-pending'; status: string }
  | { result: 'expired' }
  | { result: 'hash-mismatch' };

export interface ProposalStore {
  create(p: Proposal): Promise<void>;
  get(id: string): Promise<Proposal | undefined>;
  /** Pending proposals, soonest-expiring first. */
  pending(): Promise<Proposal[]>;
  /** One atomic step: pending, unexpired, hash equal, not the requester, not counted yet. */
  approve(id: string, approver: string, hash: string, nowMs: number): Promise<ApproveResult>;
  reject(
    id: string,
    by: string,
    hash: string | undefined,
    nowMs: number,
    reason?: string,
  ): Promise<RejectResult>;
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
