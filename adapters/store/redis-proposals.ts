/** Proposals in Redis: immutable data as JSON plus mutable fields changed only by Lua steps. */
import type { ProposalStore, StepResult } from '../../jobs/approvals/ports.js';
import type { Outcome, Proposal, ProposalStatus } from '../../jobs/approvals/proposal.js';
import type { Keys } from './keys.js';
import {
  COUNT_APPROVAL_LUA,
  EXPIRE_LUA,
  PROGRESS_LUA,
  REJECT_LUA,
  START_RUN_LUA,
} from './proposal-scripts.js';
import type { RedisClient } from './redis-client.js';

/** How long a finished proposal stays readable (for cards and audit links). */
const RETAIN_SECONDS = 30 * 86400;

type Immutable = Omit<
  Proposal,
  'status' | 'approvals' | 'decidedBy' | 'rejectReason' | 'created' | 'progress' | 'outcome'
>;

export class RedisProposalStore implements ProposalStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  private key(id: string): string {
    return this.keys.key('proposal', id);
  }
  private get pendingKey(): string {
    return this.keys.key('proposals', 'pending');
  }

  async create(p: Proposal): Promise<void> {
    const { status, approvals, decidedBy, rejectReason, created, progress, outcome, ...data } = p;
    const expiresAtMs = Date.parse(p.expiresAt);
    await this.redis
      .multi()
      .hset(this.key(p.id), {
        data: JSON.stringify(data satisfies Immutable),
        status,
        hash: p.hash,
        requester: p.requester,
        expiresAtMs: String(expiresAtMs),
        required: String(p.required),
        approvals: approvals.join('\n'),
      })
      .expire(this.key(p.id), RETAIN_SECONDS)
      .zadd(this.pendingKey, expiresAtMs, p.id)
      .exec();
  }

  async get(id: string): Promise<Proposal | undefined> {
    const h = await this.redis.hgetall(this.key(id));
    if (!h.data) return undefined;
    const data = JSON.parse(h.data) as Immutable;
    return {
      ...data,
      status: h.status as ProposalStatus,
      approvals: h.approvals ? h.approvals.split('\n') : [],
      ...(h.decidedBy ? { decidedBy: h.decidedBy } : {}),
      ...(h.rejectReason ? { rejectReason: h.rejectReason } : {}),
      ...(h.created ? { created: true } : {}),
      ...(h.progress ? { progress: JSON.parse(h.progress) as Outcome } : {}),
      ...(h.outcome ? { outcome: JSON.parse(h.outcome) as Outcome } : {}),
    };
  }

  async pending(): Promise<Proposal[]> {
    const ids = await this.redis.zrange(this.pendingKey, 0, 199);
    const all = await Promise.all(ids.map((id) => this.get(id)));
    return all.filter((p): p is Proposal => p?.status === 'pending');
  }

  async countApproval(read: Proposal, approvals: string[], approved: boolean): Promise<StepResult> {
    return (await this.redis.eval(
      COUNT_APPROVAL_LUA,
      2,
      this.key(read.id),
      this.pendingKey,
      read.approvals.join('\n'),
      approvals.join('\n'),
      approved ? '1' : '0',
      read.id,
      read.hash,
    )) as StepResult;
  }

  async markRejected(id: string, by: string, reason = ''): Promise<StepResult> {
    return (await this.redis.eval(
      REJECT_LUA,
      2,
      this.key(id),
      this.pendingKey,
      by,
      id,
      reason,
    )) as StepResult;
  }

  async expire(id: string): Promise<boolean> {
    return (await this.redis.eval(EXPIRE_LUA, 2, this.key(id), this.pendingKey, id)) === 1;
  }

  async startRun(id: string): Promise<boolean> {
    return (await this.redis.eval(START_RUN_LUA, 1, this.key(id))) === 1;
  }

  async markCreated(id: string): Promise<void> {
    await this.redis.hset(this.key(id), 'created', '1');
  }

  async recordProgress(id: string, progress: Outcome): Promise<boolean> {
    const { at: _at, ...same } = progress;
    return (await this.redis.eval(PROGRESS_LUA, 1, this.key(id), JSON.stringify({ ...same, at: '' }))) === 1;
  }

  async finish(id: string, status: 'succeeded' | 'failed', outcome: Outcome): Promise<void> {
    await this.redis.hset(this.key(id), { status, outcome: JSON.stringify(outcome) });
  }
}
