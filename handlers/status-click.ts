import type { ClickSpec } from './click.js';
import { runCommand } from './run-command.js';
import { statusCommand } from './status.js';

/** "Show status" / "Refresh": the same as typing /dp status <cluster>, as a new message. */
export const statusClick: ClickSpec = {
  verb: 'status',
  run: (click, ctx) =>
    runCommand(statusCommand, { positionals: [click.value.cluster ?? ''], flags: {} }, ctx),
};
