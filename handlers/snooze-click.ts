import { hasRole } from '../bot/access.js';
import { findCluster } from '../bot/config.js';
import { AccessDeniedError, UserFacingError } from '../bot/errors.js';
import { textMessage } from '../bot/message.js';
import { alertCard, utc } from '../jobs/alerts/alert-message.js';
import { clusterOfKey } from '../jobs/alerts/alert-state.js';
import { snoozeKey } from '../jobs/alerts/snoozes.js';
import type { ClickSpec } from './click.js';
import { requireSnoozeDuration } from './snooze.js';

/** Snooze 4h / 1d on an alert card: operator of the alert's cluster, checked now; the card shows the snooze. */
export const snoozeClick: ClickSpec = {
  verb: 'snooze',
  async run(click, ctx) {
    const key = click.value.key ?? '';
    const cluster = findCluster(ctx.config, clusterOfKey(key)) ?? ctx.azureOnly?.cluster(clusterOfKey(key));
    if (!cluster) throw new UserFacingError('This alert belongs to a cluster dpbot no longer watches.');
    if (!hasRole(cluster, click.user, 'operator'))
      throw new AccessDeniedError(
        `${click.user.id} is not an operator of ${cluster.name}, so cannot snooze its alerts.`,
      );
    const ms = requireSnoozeDuration(click.value.for, '/dp snooze <cluster> <check> <duration>');
    const now = ctx.clock.now();
    const until = new Date(now.getTime() + ms);
    const state = await snoozeKey(ctx.alerts, cluster.name, key, until);
    if (!state)
      return { message: textMessage(`${key} is no longer open: nothing to snooze.`), ephemeral: true };
    ctx.logger.info({ user: click.user.id, alert: key, until: until.toISOString() }, 'alert snoozed');
    const card = alertCard(state, now, 'open', until.toISOString());
    card.sections.push({
      type: 'context',
      text: `snoozed until ${utc(until.toISOString())} by ${click.user.id}`,
    });
    return { message: card, replaceOriginal: true };
  },
};
