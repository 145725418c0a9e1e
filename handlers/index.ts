/** Every /dp command, in the order `/dp help` lists them. */
import { backupsCommand } from './backups.js';
import { clustersCommand } from './clusters.js';
import type { CommandSpec } from './handler.js';
import { createHelpCommand } from './help.js';
import { statusCommand } from './status.js';
import { whoamiCommand } from './whoami.js';

export const commands: CommandSpec[] = [];
commands.push(
  createHelpCommand(() => commands),
  whoamiCommand,
  clustersCommand,
  statusCommand,
  backupsCommand,
);
