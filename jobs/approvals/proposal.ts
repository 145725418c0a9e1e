/** The approval proposal (DESIGN §7): what was asked, the exact Velero object, its hash, and its state. */
import { createHash, randomBytes } from 'node:crypto';
import type { MessageRef } from '../../bot/chat-port.js';

export type ProposalKind = 'backup' | 'restore' | 'drill';
export type ProposalStatus =
  | 'pending'
  | 'approved'
  | 'rejected'
  | 'expired'
  | 'running'
  | 'succeeded'
  | 'failed';

/** Label put on every object dpbot creates, so a 409 can tell our own object from someone else's. */
export const PROPOSAL_LABEL = 'dpbot.io/proposal';

/** What a handler validated; preflight turns it into a proposal. Serializable (job data). */
export interface ProposalRequest {
  kind: ProposalKind;
  cluster: string;
  requester: string;
  requesterName?: string;
  reason?: string;
  /** Restore: the backup to restore from. */
  backup?: string;
  /** Backup: copy this schedule's template. */
  schedule?: string;
  namespaces?: string[];
  /** Restore: old → new namespace. */
  mapping?: Record<string, string>;
  existing?: 'none' | 'update';
  allowPartial?: boolean;
  /** Backup: Go duration, e.g. `720h0m0s`. */
  ttl?: string;
  /** The visible message that becomes the approval card. */
  card: MessageRef;
  requestedAt: string;
  /** Drill: proposed by `drills.every`, not by a person (its approvals come from `drills.approvals`). */
  scheduled?: boolean;
}

/** The exact object POSTed to the cluster; the hash covers all of it. */
export interface VeleroAction {
  kind: 'Backup' | 'Restore';
  plural: 'backups' | 'restores';
  namespace: string;
  name: string;
  object: Record<string, unknown>;
}

/** What the card shows besides the action itself. */
export interface Preview {
  backupAge?: string;
  backupPhase?: string;
  backupErrors?: number;
  backupWarnings?: number;
  storageLocation?: string;
}

export interface Outcome {
  phase: string;
  errors?: number;
  warnings?: number;
  failureReason?: string;
  validationErrors?: string[];
  itemsDone?: number;
  totalItems?: number;
  at: string;
}

export interface Proposal {
  id: string;
  kind: ProposalKind;
  cluster: string;
  requester: string;
  requesterName?: string;
  reason?: string;
  action: VeleroAction;
  /** sha256 of the canonical JSON of `action`. */
  hash: string;
  createdAt: string;
  expiresAt: string;
  required: number;
  preview: Preview;
  allowPartial?: boolean;
  card: MessageRef;
  /** Drill (DESIGN §10): source namespace → scratch namespace; the Restore's namespaceMapping. */
  drill?: { namespaces: Record<string, string>; scheduled?: boolean };
  // Mutable state, kept in separate Redis hash fields and changed atomically.
  status: ProposalStatus;
  approvals: string[];
  /** Who rejected it, or the reason it expired. */
  decidedBy?: string;
  rejectReason?: string;
  created?: boolean;
  progress?: Outcome;
  outcome?: Outcome;
}

/** 10 characters ≈ 50 random bits: short to type, infeasible to guess. */
export function newProposalId(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(10);
  // A leading letter: BullMQ refuses all-digit job ids, and the id is the execute job's id.
  let id = alphabet[bytes[0] % 24];
  for (const b of bytes.subarray(1)) id += alphabet[b & 31];
  return id;
}

/** JSON with sorted keys, so equal objects hash equally whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

export function actionHash(action: VeleroAction): string {
  return createHash('sha256').update(canonicalJson(action)).digest('hex');
}

/** `20261125020000` (UTC). */
export function utcStamp(at: Date): string {
  return at
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:T]/g, '');
}

/**
 * `<base>-<UTC yyyyMMddHHmmss>`, at most 63 characters: Velero copies restore/backup names into label
 * values. A long base is cut and given a short hash of the full base so names stay distinct.
 */
export function veleroObjectName(base: string, at: Date): string {
  const stamp = utcStamp(at);
  let stem = base;
  if (stem.length + 1 + stamp.length > 63) {
    const digest = createHash('sha256').update(base).digest('hex').slice(0, 6);
    stem = `${base.slice(0, 63 - stamp.length - 1 - digest.length - 1).replace(/[-.]+$/, '')}-${digest}`;
  }
  return `${stem}-${stamp}`;
}

export const TERMINAL_PHASES = ['Completed', 'PartiallyFailed', 'Failed', 'FailedValidation'];

export function isFinished(status: ProposalStatus): boolean {
  return ['rejected', 'expired', 'succeeded', 'failed'].includes(status);
}
