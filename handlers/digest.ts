import { UserFacingError } from '../bot/errors.js';
import { buildDigest } from '../jobs/digest/build-digest.js';
import { visibleClusters } from './authorize.js';
import type { CommandSpec } from './handler.js';

const usage = '/dp digest';

export const digestCommand: CommandSpec = {
  name: 'digest',
  usage,
  summary: 'the fleet digest (picture + worst lapses) posted here now',
  role: 'viewer',
  async run(args, ctx) {
    if (args.positionals.length) throw new UserFacingError('/dp digest takes no arguments.', usage);
    const renderer = ctx.charts;
    const configured = visibleClusters(ctx).map((c) => c.name);
    // Arc clusters known only from Azure are part of the fleet too.
    const names = [...configured, ...(ctx.azureOnly?.clusters() ?? []).map((c) => c.name)];
    if (!names.length) throw new UserFacingError('You can see no clusters.', usage);
    const previous = await ctx.digests.last();
    const digest = await buildDigest(
      renderer,
      names,
      await ctx.postures.getMany(names),
      ctx.clock.now(),
      previous,
    );
    // With a schedule, "what changed" is measured from the last scheduled digest, which an ad-hoc one
    // must not move; without one, each /dp digest of the whole fleet is the next one's baseline.
    const wholeFleet = configured.length === ctx.config.clusters.length;
    if (!ctx.config.digest && wholeFleet) await ctx.digests.save(digest.summary);
    return { message: digest.message };
  },
};
