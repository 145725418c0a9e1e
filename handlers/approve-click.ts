import { approveProposal } from './approve.js';
import type { ClickSpec } from './click.js';

/** The Approve button: value { id, hash }; re-authorized now, whatever the card said. */
export const approveClick: ClickSpec = {
  verb: 'approve',
  run: (click, ctx) => approveProposal(ctx, click.value.id, click.value.hash ?? '', 'click'),
};
