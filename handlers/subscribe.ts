import { hasRole } from '../bot/access.js';
import type { ClusterConfig } from '../bot/config.js';
import { UserFacingError } from '../bot/errors.js';
import { textMessage } from '../bot/message.js';
import type { SubscriptionStore } from '../jobs/alerts/alert-state.js';
import { requireClusterOrAzureOnly } from './azure-only.js';
import type { CommandSpec, HandlerContext } from './handler.js';

const usage = '/dp subscribe <cluster>|all';

export function requireSubscriptions(ctx: HandlerContext): SubscriptionStore {
  if (!ctx.subscriptions) throw new UserFacingError('Alerts are not enabled on this dpbot.');
  return ctx.subscriptions;
}

/**
 * `all` means every cluster the caller operates, resolved now: a channel never receives alerts of
 * a cluster its subscriber could not see, and clusters added later need their own subscribe.
 */
export function subscriptionTargets(
  ctx: HandlerContext,
  target: string | undefined,
  usage: string,
): ClusterConfig[] {
  if (target !== 'all') return [requireClusterOrAzureOnly(ctx, target, 'operator', usage)];
  const mine = [...ctx.config.clusters, ...(ctx.azureOnly?.clusters() ?? [])].filter((c) =>
    hasRole(c, ctx.request.user, 'operator'),
  );
  if (mine.length === 0)
    throw new UserFacingError(`${ctx.request.user.id} is not an operator of any cluster.`, usage);
  return mine;
}

export function listNames(clusters: ClusterConfig[]): string {
  const names = clusters.map((c) => c.name);
  return names.length > 10 ? `${names.slice(0, 10).join(', ')} … (${names.length})` : names.join(', ');
}

/** Routes a cluster's alerts to the channel the command was typed in. */
export const subscribeCommand: CommandSpec = {
  name: 'subscribe',
  usage,
  summary: "route that cluster's alerts to this channel",
  role: 'operator',
  async run(args, ctx) {
    if (args.positionals.length !== 1) throw new UserFacingError('Name one cluster, or "all".', usage);
    const clusters = subscriptionTargets(ctx, args.positionals[0], usage);
    const subs = requireSubscriptions(ctx);
    for (const c of clusters) await subs.add(c.name, ctx.request.conversation);
    return {
      message: textMessage(
        `This channel now receives alerts of ${listNames(clusters)} (alerts that open from now on).`,
      ),
    };
  },
};
