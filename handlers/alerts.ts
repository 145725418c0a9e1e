import { UserFacingError } from '../bot/errors.js';
import type { BotMessage } from '../bot/message.js';
import { utc } from '../jobs/alerts/alert-message.js';
import { snoozedUntil } from '../jobs/alerts/alert-state.js';
import { type Status, worstStatus } from '../jobs/checks/finding.js';
import { visibleClusters } from './authorize.js';
import { requireClusterOrAzureOnly } from './azure-only.js';
import type { CommandSpec } from './handler.js';

const usage = '/dp alerts [<cluster>]';

/** Open alerts of one cluster or of every cluster the caller can see. */
export const alertsCommand: CommandSpec = {
  name: 'alerts',
  usage,
  summary: 'open alerts',
  role: 'viewer',
  async run(args, ctx) {
    if (args.positionals.length > 1) throw new UserFacingError('Name at most one cluster.', usage);
    const store = ctx.alerts;
    const clusters = args.positionals.length
      ? [requireClusterOrAzureOnly(ctx, args.positionals[0], 'viewer', usage)]
      : [...visibleClusters(ctx), ...(ctx.azureOnly?.clusters() ?? [])];
    const now = ctx.clock.now();
    const rows: string[][] = [];
    const statuses: Status[] = [];
    for (const c of clusters) {
      const alerts = await store.read(c.name);
      for (const s of [...alerts.states.values()]
        .filter((a) => a.open)
        .sort((a, b) => a.key.localeCompare(b.key))) {
        const until = snoozedUntil(s, alerts.checkSnoozes, now);
        statuses.push(s.finding.status);
        rows.push([
          c.name,
          s.check,
          s.kind === 'unknown' ? '' : (s.finding.resource ?? ''),
          s.kind === 'unknown' ? 'cannot verify' : s.finding.reason,
          utc(s.since),
          until ? `snoozed until ${utc(until)}` : 'open',
        ]);
      }
    }
    const scope = args.positionals.length ? clusters[0].name : 'all clusters';
    const title = rows.length
      ? `${rows.length} open alert${rows.length === 1 ? '' : 's'}: ${scope}`
      : `No open alerts: ${scope}`;
    const message: BotMessage = {
      kind: 'alerts',
      title,
      summary: title,
      tone: rows.length ? worstStatus(statuses) : 'ok',
      sections: rows.length
        ? [{ type: 'table', columns: ['cluster', 'check', 'resource', 'reason', 'since', 'state'], rows }]
        : [{ type: 'text', text: 'Nothing is failing long enough to alert.' }],
    };
    return { message };
  },
};
