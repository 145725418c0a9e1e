import { UserFacingError } from '../bot/errors.js';
import { statusReport } from '../bot/reports.js';
import { requireCluster, visibleClusters } from './authorize.js';
import { azureOnlyCluster, azureOnlyNote, requireClusterOrAzureOnly } from './azure-only.js';
import type { CommandSpec } from './handler.js';

const usage = '/dp status <cluster>|all [--refresh]';

/**
 * Answers at once from the last scan, then the same message is updated after a fresh scan — every
 * time, so `--refresh` (kept as DESIGN §2 writes the usage) asks for what already happens.
 */
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
    if (target !== 'all' && azureOnlyCluster(ctx, target)) {
      requireClusterOrAzureOnly(ctx, target, 'viewer', usage);
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
    // `all` shows the Azure-only clusters too; only clusters with a kubeconfig are scanned.
    const shown =
      target === 'all' ? [...clusters, ...(ctx.azureOnly?.clusters() ?? []).map((c) => c.name)] : clusters;
    const postures = await ctx.postures.getMany(shown);
    return {
      message: statusReport(shown, postures, ctx.clock.now(), { updating: true }),
      afterPost: async (ref) => {
        await ctx.scans.request(clusters, {
          update: { ref, view: { type: 'status', clusters: shown } },
          deliveryId: ctx.request.deliveryId,
        });
        return { expectUpdate: true };
      },
    };
  },
};
