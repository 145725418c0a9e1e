import { UserFacingError } from '../bot/errors.js';
import { textMessage } from '../bot/message.js';
import { snoozeCheck } from '../jobs/alerts/snoozes.js';
import { requireAlertStore } from './alerts.js';
import { requireClusterOrAzureOnly } from './azure-only.js';
import type { CommandSpec } from './handler.js';
import { requireCheck } from './snooze.js';

const usage = '/dp unsnooze <cluster> <check>';

/** Ends a snooze now: the next scan posts, edits or renotifies as usual. */
export const unsnoozeCommand: CommandSpec = {
  name: 'unsnooze',
  usage,
  summary: 'end a snooze',
  role: 'operator',
  async run(args, ctx) {
    if (args.positionals.length !== 2) throw new UserFacingError('Name a cluster and a check.', usage);
    const cluster = requireClusterOrAzureOnly(ctx, args.positionals[0], 'operator', usage);
    const check = requireCheck(args.positionals[1], usage);
    await snoozeCheck(requireAlertStore(ctx), cluster.name, check, undefined);
    return {
      message: textMessage(`Unsnoozed ${check} on ${cluster.name}: its alerts resume at the next scan.`),
    };
  },
};
