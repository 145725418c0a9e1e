import type { ClickSpec } from './click.js';
import { rejectProposal } from './reject.js';

/** The Reject button: value { id, hash }; re-authorized now. */
export const rejectClick: ClickSpec = {
  verb: 'reject',
  run: (click, ctx) => rejectProposal(ctx, click.value.id, click.value.hash ?? '-', undefined, 'click'),
};
