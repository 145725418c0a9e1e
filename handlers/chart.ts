import { UserFacingError } from '../bot/errors.js';
import { fleetChartMessage, historyChartMessage } from '../jobs/charts/chart-message.js';
import { requireCluster, visibleClusters } from './authorize.js';
import type { CommandSpec } from './handler.js';

const usage = '/dp chart <cluster>|all';

export const chartCommand: CommandSpec = {
  name: 'chart',
  usage,
  summary: 'a picture: the fleet as a heatmap (clusters × checks) or one cluster’s backup history',
  role: 'viewer',
  async run(args, ctx) {
    if (args.positionals.length !== 1)
      throw new UserFacingError('Name one cluster, or "all" for the fleet heatmap.', usage);
    const renderer = ctx.charts;
    const now = ctx.clock.now();
    const [target] = args.positionals;
    if (target === 'all') {
      const scanned = visibleClusters(ctx).map((c) => c.name);
      // The fleet includes the Arc clusters known only from Azure (their Arc findings); only clusters
      // with a kubeconfig are scanned.
      const names = [...scanned, ...(ctx.azureOnly?.clusters() ?? []).map((c) => c.name)];
      if (!names.length) throw new UserFacingError('You can see no clusters.', usage);
      const postures = await ctx.postures.getMany(names);
      const unscanned = scanned.filter((n) => !postures.has(n));
      return {
        message: await fleetChartMessage(renderer, names, postures, now),
        // Never-scanned clusters are drawn unknown; scan them so the next picture knows more.
        afterPost: unscanned.length
          ? async () => {
              await ctx.scans.request(unscanned, { deliveryId: ctx.request.deliveryId });
              return undefined;
            }
          : undefined,
      };
    }
    const cluster = requireCluster(ctx, target, 'viewer', usage);
    return {
      message: await historyChartMessage(renderer, cluster.name, await ctx.postures.get(cluster.name), now),
    };
  },
};
