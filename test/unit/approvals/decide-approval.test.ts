/** The approval rules (DESIGN §7.3), table-driven: given a proposal, when someone decides, then … */
import {
  type ApprovalDecision,
  decideApproval,
  decideRejection,
  type RejectionDecision,
} from '../../../jobs/approvals/decide-approval.js';
import { actionHash, type Proposal } from '../../../jobs/approvals/proposal.js';
import { restoreAction } from '../../../jobs/approvals/velero-objects.js';

const now = new Date('2026-11-25T10:00:00Z');
const action = restoreAction(
  { namespace: 'velero', name: 'r-1', proposalId: 'abcdefghij' },
  { backup: 'nightly-1', existing: 'none' },
);
const HASH = actionHash(action);

function proposal(over: Partial<Proposal> = {}): Proposal {
  return {
    id: 'abcdefghij',
    kind: 'restore',
    cluster: 'store-1',
    requester: 'shell:alice',
    action,
    hash: HASH,
    createdAt: '2026-11-25T09:55:00Z',
    expiresAt: '2026-11-25T10:55:00Z',
    required: 1,
    preview: {},
    card: { platform: 'shell', channel: 'c', id: '1' },
    status: 'pending',
    approvals: [],
    ...over,
  };
}

const bob = { id: 'shell:bob', isApprover: true };
const tamperedAction = { ...action, object: { ...action.object, spec: { includedNamespaces: ['*'] } } };

describe('decideApproval', () => {
  it.each<[string, Partial<Proposal>, { id: string; isApprover: boolean }, string, ApprovalDecision]>([
    [
      'an approver on a pending proposal approves it',
      {},
      bob,
      HASH,
      { verdict: 'count', approvals: ['shell:bob'], approved: true },
    ],
    [
      'one of two required approvals is only counted',
      { required: 2 },
      bob,
      HASH,
      { verdict: 'count', approvals: ['shell:bob'], approved: false },
    ],
    [
      'the second of two approves',
      { required: 2, approvals: ['shell:carol'] },
      bob,
      HASH,
      { verdict: 'count', approvals: ['shell:carol', 'shell:bob'], approved: true },
    ],
    [
      'a viewer or operator is not an approver',
      {},
      { id: 'shell:bob', isApprover: false },
      HASH,
      { verdict: 'refuse', reason: 'not-approver' },
    ],
    [
      'the role is checked before anything else',
      { status: 'rejected' },
      { id: 'shell:bob', isApprover: false },
      'x',
      { verdict: 'refuse', reason: 'not-approver' },
    ],
    [
      'a button carrying another hash',
      {},
      bob,
      'f'.repeat(64),
      { verdict: 'refuse', reason: 'hash-mismatch' },
    ],
    [
      'a stored action changed since it was hashed',
      { action: tamperedAction },
      bob,
      HASH,
      { verdict: 'refuse', reason: 'hash-mismatch' },
    ],
    [
      'a proposal already approved',
      { status: 'approved' },
      bob,
      HASH,
      { verdict: 'refuse', reason: 'not-pending' },
    ],
    ['a rejected proposal', { status: 'rejected' }, bob, HASH, { verdict: 'refuse', reason: 'not-pending' }],
    [
      'a proposal past its expiry, still marked pending',
      { expiresAt: '2026-11-25T09:59:59Z' },
      bob,
      HASH,
      { verdict: 'refuse', reason: 'expired' },
    ],
    [
      'a proposal expiring at this very instant',
      { expiresAt: now.toISOString() },
      bob,
      HASH,
      { verdict: 'refuse', reason: 'expired' },
    ],
    [
      'the requester approving their own proposal',
      { requester: 'shell:bob' },
      bob,
      HASH,
      { verdict: 'refuse', reason: 'self' },
    ],
    [
      'an approver counted already',
      { required: 2, approvals: ['shell:bob'] },
      bob,
      HASH,
      { verdict: 'refuse', reason: 'already' },
    ],
  ])('%s', (_, over, approver, hash, expected) => {
    expect(decideApproval(proposal(over), approver, hash, now)).toEqual(expected);
  });

  it('never mutates the proposal it read', () => {
    const p = proposal({ required: 2, approvals: ['shell:carol'] });
    decideApproval(p, bob, HASH, now);
    expect(p.approvals).toEqual(['shell:carol']);
  });
});

describe('decideRejection', () => {
  it.each<[string, Partial<Proposal>, string | undefined, RejectionDecision]>([
    ['a command rejects a pending proposal', {}, undefined, { verdict: 'reject' }],
    ['a button with the shown hash rejects it', {}, HASH, { verdict: 'reject' }],
    ['a button with another hash', {}, 'f'.repeat(64), { verdict: 'refuse', reason: 'hash-mismatch' }],
    ['an approved proposal', { status: 'approved' }, undefined, { verdict: 'refuse', reason: 'not-pending' }],
    [
      'an expired proposal',
      { expiresAt: '2026-11-25T09:00:00Z' },
      undefined,
      { verdict: 'refuse', reason: 'expired' },
    ],
  ])('%s', (_, over, hash, expected) => {
    expect(decideRejection(proposal(over), hash, now)).toEqual(expected);
  });
});
