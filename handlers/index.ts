/** Every /dp command, in the order `/dp help` lists them. */

import { alertsCommand } from './alerts.js';
import { approvalsCommand } from './approvals.js';
import { approveCommand } from './approve.js';
import { approveClick } from './approve-click.js';
import { auditCommand } from './audit.js';
import { backupCommand } from './backup.js';
import { backupClick } from './backup-click.js';
import { backupsCommand } from './backups.js';
import { chartCommand } from './chart.js';
import type { ClickSpec } from './click.js';
import { clustersCommand } from './clusters.js';
import { digestCommand } from './digest.js';
import { drillCommand } from './drill.js';
import { drillsCommand } from './drills.js';
import type { CommandSpec } from './handler.js';
import { createHelpCommand } from './help.js';
import { rejectCommand } from './reject.js';
import { rejectClick } from './reject-click.js';
import { restoreCommand } from './restore.js';
import { snoozeCommand } from './snooze.js';
import { snoozeClick } from './snooze-click.js';
import { statusCommand } from './status.js';
import { statusClick } from './status-click.js';
import { subscribeCommand } from './subscribe.js';
import { unsnoozeCommand } from './unsnooze.js';
import { unsubscribeCommand } from './unsubscribe.js';
import { whoamiCommand } from './whoami.js';

export const commands: CommandSpec[] = [];
commands.push(
  createHelpCommand(() => commands),
  whoamiCommand,
  clustersCommand,
  statusCommand,
  backupsCommand,
);
// Alerts (DESIGN §8).
commands.push(alertsCommand, snoozeCommand, unsnoozeCommand, subscribeCommand, unsubscribeCommand);

/** Every button verb's click handler. */
export const clicks: ClickSpec[] = [statusClick];
clicks.push(snoozeClick);
// Approvals (DESIGN §7).
commands.push(backupCommand, restoreCommand, approvalsCommand, approveCommand, rejectCommand, auditCommand);
clicks.push(approveClick, rejectClick, backupClick);
// Pictures and digest (DESIGN §11).
commands.push(chartCommand, digestCommand);
// Restore drills (DESIGN §10).
commands.push(drillCommand, drillsCommand);
