import { rolesFor } from '../bot/access.js';
import type { CommandSpec } from './handler.js';

export const whoamiCommand: CommandSpec = {
  name: 'whoami',
  usage: '/dp whoami',
  summary: "the caller's identity string and roles per cluster",
  role: 'anyone',
  async run(_args, ctx) {
    const who = ctx.request.user;
    const rows = ctx.config.clusters.map((c) => [c.name, rolesFor(c.access, who).join(', ') || 'none']);
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
