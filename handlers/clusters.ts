import { arcFleetTable } from '../bot/arc-reports.js';
import { UserFacingError } from '../bot/errors.js';
import { fleetTable } from '../bot/reports.js';
import { visibleClusters } from './authorize.js';
import type { CommandSpec } from './handler.js';

export const clustersCommand: CommandSpec = {
  name: 'clusters',
  usage: '/dp clusters',
  summary: 'fleet table: each cluster, overall status, age of last scan',
  role: 'viewer',
  async run(args, ctx) {
    if (args.positionals.length) throw new UserFacingError('/dp clusters takes no arguments.', this.usage);
    const names = visibleClusters(ctx).map((c) => c.name);
    if (ctx.config.fleet?.azure && ctx.arcFleet) {
      const meta = await ctx.arcFleet.getMeta();
      const azureOnly = meta?.azureOnly ?? [];
      const postures = await ctx.postures.getMany([...names, ...azureOnly]);
      return { message: arcFleetTable(names, azureOnly, postures, meta, ctx.clock.now()) };
    }
    return { message: fleetTable(names, await ctx.postures.getMany(names), ctx.clock.now()) };
  },
};
