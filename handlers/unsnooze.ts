import { textMessage } from '../bot/message.js';
import { snoozeCheck } from '../jobs/alerts/snoozes.js';
import type { ClusterCommandSpec } from './handler.js';
import { requireCheck } from './snooze.js';

const usage = '/dp unsnooze <cluster> <check>';

/** Ends a snooze now: the next scan posts, edits or renotifies as usual. */
export const unsnoozeCommand: ClusterCommandSpec = {
  name: 'unsnooze',
  usage,
  summary: 'end a snooze',
  role: 'operator',
  cluster: {
    arg: 0,
    role: 'operator',
    positionals: 2,
    countError: 'Name a cluster and a check.',
    azureOnly: true,
  },
  async run(args, ctx, cluster) {
    const check = requireCheck(args.positionals[1], usage);
    await snoozeCheck(ctx.alerts, cluster.name, check, undefined);
    return {
      message: textMessage(`Unsnoozed ${check} on ${cluster.name}: its alerts resume at the next scan.`),
    };
  },
};
