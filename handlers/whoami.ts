import { rolesFor } from '../bot/access.js';
import { UserFacingError } from '../bot/errors.js';
import type { CommandSpec } from './handler.js';

export const whoamiCommand: CommandSpec = {
  name: 'whoami',
  usage: '/dp whoami',
  summary: "the caller's identity string and roles per cluster",
  role: 'anyone',
  async run(args, ctx) {
    if (args.positionals.length) throw new UserFacingError('/dp whoami takes no arguments.', '/dp whoami');
    const who = ctx.request.user;
    // The Arc clusters known only from Azure too: alerts, snooze and subscribe act on them by these roles.
    const clusters = [...ctx.config.clusters, ...(ctx.azureOnly?.clusters() ?? [])];
    const rows = clusters.map((c) => [c.name, rolesFor(c.access, who).join(', ') || 'none']);
    const groups = who.groups.length ? ` (groups: ${who.groups.join(', ')})` : '';
    return {
      ephemeral: true,
      message: {
        kind: 'whoami',
        title: `You are ${who.id}`,
        summary: `You are ${who.id}${groups}`,
        sections: [
          { type: 'text', text: `Identity: ${who.id}${groups}` },
          { type: 'table', columns: ['cluster', 'roles'], rows },
        ],
      },
    };
  },
};
