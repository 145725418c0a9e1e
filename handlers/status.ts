import { UserFacingError } from '../bot/errors.js';
import { statusReport } from '../bot/reports.js';
import { requireCluster, visibleClusters } from './authorize.js';
import { azureOnlyClusters, azureOnlyNote } from './azure-only.js';
import type { CommandSpec } from './handler.js';

const usage = '/dp status <cluster>|all [--refresh]';

/** Answers at once from the last scan, then the same message is updated after a fresh scan. */
export const statusCommand: CommandSpec = {
  name: 'status',
  usage,
  summary: 'posture report: every protection control with its status and reason code',
  role: 'viewer',
  booleanFlags: ['refresh'],
  flags: ['refresh'],
  async run(args, ctx) {
    if (args.positionals.length > 1) throw new UserFacingError('Name one cluster, or "all".', usage);
    const target = args.positionals[0];
    const azureOnly = await azureOnlyClusters(ctx);
    if (target && target !== 'all' && azureOnly.includes(target)) {
      // Known only from Azure: no API server to scan; the fleet refresh keeps its posture current.
      const message = statusReport([target], await ctx.postures.getMany([target]), ctx.clock.now());
      message.sections.push({ type: 'context', text: azureOnlyNote(target) });
      message.buttons = undefined;
      return { message };
    }
    const clusters =
      target === 'all'
        ? visibleClusters(ctx).map((c) => c.name)
        : [requireCluster(ctx, target, 'viewer', usage).name];
    if (clusters.length === 0) throw new UserFacingError('You cannot see any cluster.', usage);
    const postures = await ctx.postures.getMany(clusters);
    return {
      message: statusReport(clusters, postures, ctx.clock.now(), { updating: true }),
      afterPost: async (ref) => {
        await ctx.scans.request(clusters, {
          update: { ref, view: { type: 'status', clusters } },
          deliveryId: ctx.request.deliveryId,
        });
        return { expectUpdate: true };
      },
    };
  },
};
