import { UserFacingError } from '../bot/errors.js';
import { textMessage } from '../bot/message.js';
import type { CommandSpec } from './handler.js';
import { listNames, requireSubscriptions, subscriptionTargets } from './subscribe.js';

const usage = '/dp unsubscribe <cluster>|all';

/** Stops routing a cluster's alerts to this channel (configured channels are not affected). */
export const unsubscribeCommand: CommandSpec = {
  name: 'unsubscribe',
  usage,
  summary: "stop routing that cluster's alerts to this channel",
  role: 'operator',
  async run(args, ctx) {
    if (args.positionals.length !== 1) throw new UserFacingError('Name one cluster, or "all".', usage);
    const clusters = subscriptionTargets(ctx, args.positionals[0], usage);
    const subs = requireSubscriptions(ctx);
    const removed = [];
    for (const c of clusters) if (await subs.remove(c.name, ctx.request.conversation)) removed.push(c);
    return {
      message: textMessage(
        removed.length
          ? `This channel no longer receives alerts of ${listNames(removed)}.`
          : `This channel was not subscribed to ${listNames(clusters)}.`,
      ),
    };
  },
};
