import { formatDuration } from '../bot/duration.js';
import type { BotMessage } from '../bot/message.js';
import { ago } from '../bot/reports.js';
import { requirePositiveInt } from '../bot/validate.js';
import type { DrillRecord } from '../jobs/drill/ports.js';
import type { ClusterCommandSpec } from './handler.js';

const usage = '/dp drills <cluster> [--limit N]';

function verdict(r: DrillRecord): string {
  if (r.stage !== 'done') return `running (${r.stage})`;
  return r.verdict ?? 'unknown';
}

function cleanup(r: DrillRecord): string {
  if (r.cleanup === 'failed') return `LEFTOVERS: ${(r.leftovers ?? []).join('; ')}`;
  return r.cleanup ?? (r.stage === 'done' ? 'unknown' : 'pending');
}

/** Recent drills of one cluster, newest first, from dpbot's own records. */
export const drillsCommand: ClusterCommandSpec = {
  name: 'drills',
  usage,
  summary: 'recent restore drills: verdict, recovery time, items restored, warnings/errors',
  role: 'viewer',
  cluster: { arg: 0, role: 'viewer', positionals: 1, countError: 'Name exactly one cluster.' },
  flags: ['limit'],
  async run(args, ctx, cluster) {
    const limit =
      typeof args.flags.limit === 'string' ? requirePositiveInt(args.flags.limit, '--limit', 100, usage) : 10;
    const now = ctx.clock.now();
    const drills = await ctx.drills.latest(cluster.name, limit);
    const rows = drills.map((r) => [
      ago(r.approvedAt, now),
      r.id,
      r.backup,
      verdict(r),
      r.readyMs !== undefined
        ? formatDuration(r.readyMs)
        : r.restoreMs !== undefined
          ? `${formatDuration(r.restoreMs)} (restore only)`
          : '—',
      r.totalItems !== undefined ? `${r.itemsRestored ?? 0}/${r.totalItems}` : '—',
      `${r.warnings ?? 0}/${r.errors ?? 0}`,
      (r.failures ?? []).slice(0, 3).join('; ') + ((r.failures?.length ?? 0) > 3 ? ' …' : ''),
      cleanup(r),
    ]);
    const worst = drills.some((r) => r.verdict === 'failed' || r.cleanup === 'failed');
    const message: BotMessage = {
      kind: 'drills',
      title: `Restore drills: ${cluster.name}`,
      summary: `${rows.length} restore drill(s) on ${cluster.name}`,
      tone: drills.length === 0 ? 'info' : worst ? 'warn' : 'ok',
      sections: rows.length
        ? [
            {
              type: 'table',
              columns: [
                'started',
                'id',
                'backup',
                'verdict',
                'recovery',
                'items',
                'warn/err',
                'failed',
                'cleanup',
              ],
              rows,
            },
          ]
        : [
            {
              type: 'text',
              text: `No restore drills on ${cluster.name} yet. Try /dp drill ${cluster.name}.`,
            },
          ],
    };
    return { message };
  },
};
