import { backupsTable } from '../bot/reports.js';
import { requireLabel, requirePositiveInt } from '../bot/validate.js';
import type { ClusterCommandSpec } from './handler.js';

const usage = '/dp backups <cluster> [--schedule S] [--limit N]';

export const backupsCommand: ClusterCommandSpec = {
  name: 'backups',
  usage,
  summary: 'recent Velero backups: phase, age, errors, warnings',
  role: 'viewer',
  cluster: { arg: 0, role: 'viewer', positionals: 1, countError: 'Name exactly one cluster.' },
  flags: ['schedule', 'limit'],
  async run(args, ctx, cluster) {
    const schedule =
      typeof args.flags.schedule === 'string'
        ? requireLabel(args.flags.schedule, 'schedule name', usage)
        : undefined;
    const limit =
      typeof args.flags.limit === 'string' ? requirePositiveInt(args.flags.limit, '--limit', 100, usage) : 10;
    const p = await ctx.postures.get(cluster.name);
    const view = { type: 'backups' as const, cluster: cluster.name, schedule, limit };
    return {
      message: backupsTable(cluster.name, p, ctx.clock.now(), { ...view, updating: true }),
      afterPost: async (ref) => {
        await ctx.scans.request([cluster.name], {
          update: { ref, view },
          deliveryId: ctx.request.deliveryId,
        });
        return { expectUpdate: true };
      },
    };
  },
};
