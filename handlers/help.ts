import { UserFacingError } from '../bot/errors.js';
import type { CommandSpec } from './handler.js';

export function createHelpCommand(all: () => CommandSpec[]): CommandSpec {
  return {
    name: 'help',
    usage: '/dp help [command]',
    summary: 'usage',
    role: 'anyone',
    async run(args, _ctx) {
      if (args.positionals.length > 1)
        throw new UserFacingError('Name one command, or none for the list.', '/dp help [command]');
      // Any case, as the router takes the command word.
      const name = args.positionals[0]?.toLowerCase();
      if (name) {
        const cmd = all().find((c) => c.name === name);
        if (!cmd) throw new UserFacingError(`Unknown command "${name.slice(0, 40)}".`, '/dp help [command]');
        return {
          ephemeral: true,
          message: {
            kind: 'help',
            title: `/dp ${cmd.name}`,
            summary: `${cmd.usage} — ${cmd.summary}`,
            tone: 'info',
            sections: [
              { type: 'text', text: `${cmd.usage}\n${cmd.summary}` },
              { type: 'context', text: `role: ${cmd.role}` },
            ],
          },
        };
      }
      return {
        ephemeral: true,
        message: {
          kind: 'help',
          title: 'dpbot commands',
          summary: 'dpbot commands',
          tone: 'info',
          sections: [
            {
              type: 'table',
              columns: ['command', 'role', 'what it does'],
              rows: all().map((c) => [c.usage, c.role, c.summary]),
            },
            { type: 'context', text: 'In Teams, type the same without the slash: dp status store-042' },
          ],
        },
      };
    },
  };
}
