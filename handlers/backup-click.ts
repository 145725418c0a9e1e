import { backupCommand } from './backup.js';
import type { ClickSpec } from './click.js';
import { runCommand } from './run-command.js';

/** "Back up now" on an alert: the same as typing /dp backup <cluster> [--schedule S], as a new card. */
export const backupClick: ClickSpec = {
  verb: 'backup',
  run: (click, ctx) =>
    runCommand(
      backupCommand,
      {
        positionals: [click.value.cluster ?? ''],
        flags: click.value.schedule ? { schedule: click.value.schedule } : {},
      },
      ctx,
    ),
};
