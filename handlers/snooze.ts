import { formatDuration, parseDuration } from '../bot/duration.js';
import { UserFacingError } from '../bot/errors.js';
import { textMessage } from '../bot/message.js';
import { utc } from '../jobs/alerts/alert-message.js';
import { MAX_SNOOZE_MS, SNOOZABLE_CHECKS, snoozeCheck } from '../jobs/alerts/snoozes.js';
import type { ClusterCommandSpec } from './handler.js';

const usage = '/dp snooze <cluster> <check> <duration>';
/** Shorter than a scan interval silences nothing anyone would notice; the reply says 1m. */
const MIN_SNOOZE_MS = 60_000;

export function requireCheck(check: string | undefined, usage: string): string {
  if (!check) throw new UserFacingError('Which check? Name one.', usage);
  if (!SNOOZABLE_CHECKS.includes(check))
    throw new UserFacingError(
      `Unknown check "${check.slice(0, 40)}". Checks: ${SNOOZABLE_CHECKS.join(', ')}.`,
      usage,
    );
  return check;
}

export function requireSnoozeDuration(text: string | undefined, usage: string): number {
  const ms = text ? parseDuration(text) : undefined;
  if (!ms || ms < MIN_SNOOZE_MS || ms > MAX_SNOOZE_MS)
    throw new UserFacingError(
      `${text ? `"${text.slice(0, 20)}" is not` : 'Give'} a duration from 1m to ${formatDuration(MAX_SNOOZE_MS)}, like 4h or 1d.`,
      usage,
    );
  return ms;
}

/** Silences one check's alerts on a cluster (including ones that open meanwhile); expires by itself. */
export const snoozeCommand: ClusterCommandSpec = {
  name: 'snooze',
  usage,
  summary: 'silence one alert',
  role: 'operator',
  cluster: {
    arg: 0,
    role: 'operator',
    positionals: 3,
    countError: 'Name a cluster, a check and a duration.',
    azureOnly: true,
  },
  async run(args, ctx, cluster) {
    const [, checkText, durationText] = args.positionals;
    const check = requireCheck(checkText, usage);
    const ms = requireSnoozeDuration(durationText, usage);
    const until = new Date(ctx.clock.now().getTime() + ms);
    const hit = await snoozeCheck(ctx.alerts, cluster.name, check, until);
    const open = hit.filter((s) => s.open).length;
    return {
      message: textMessage(
        `Snoozed ${check} on ${cluster.name} until ${utc(until.toISOString())} (${open} open alert${open === 1 ? '' : 's'}), by ${ctx.request.user.id}.`,
      ),
    };
  },
};
