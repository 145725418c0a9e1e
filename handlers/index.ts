/** Every /dp command, in the order `/dp help` lists them. */

import { backupsCommand } from './backups.js';
import type { ClickSpec } from './click.js';
import { clustersCommand } from './clusters.js';
import type { CommandSpec } from './handler.js';
import { createHelpCommand } from './help.js';
import { statusCommand } from './status.js';
import { statusClick } from './status-click.js';
import { whoamiCommand } from './whoami.js';

export const commands: CommandSpec[] = [];
commands.push(
  createHelpCommand(() => commands),
  whoamiCommand,
  clustersCommand,
  statusCommand,
  backupsCommand,
);

/** Every button verb's click handler. */
export const clicks: ClickSpec[] = [statusClick];
