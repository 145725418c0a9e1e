/**
 * parse → authorize (the spec's cluster and role: handlers/run-command.ts) → handler. Bad input gets
 * the error and the usage; never silence, never a stack trace.
 */
import type { ClickSpec } from '../handlers/click.js';
import type { CommandSpec, HandlerContext } from '../handlers/handler.js';
import { runCommand } from '../handlers/run-command.js';
import type { ButtonClick, CommandRequest, Reply } from './chat-port.js';
import { parseArgs, tokenize } from './command-line.js';
import { newErrorId, UserFacingError } from './errors.js';
import type { BotMessage } from './message.js';

export function errorReply(text: string, usage?: string): Reply {
  const message: BotMessage = {
    kind: 'error',
    summary: text,
    tone: 'fail',
    sections: [{ type: 'text', text, tone: 'fail' }],
  };
  if (usage) message.sections.push({ type: 'context', text: `Usage: ${usage}` });
  return { message, ephemeral: true };
}

export class Router {
  constructor(
    private readonly commands: CommandSpec[],
    private readonly context: (req: CommandRequest) => HandlerContext,
    private readonly clicks: ClickSpec[] = [],
  ) {}

  /** A button click: the verb's handler re-authorizes it now, whatever the card said. */
  async handleClick(click: ButtonClick): Promise<Reply> {
    const ctx = this.context({
      platform: click.platform,
      user: click.user,
      conversation: click.conversation,
      text: '',
      deliveryId: click.deliveryId,
    });
    const spec = this.clicks.find((c) => c.verb === click.verb);
    if (!spec) return errorReply(`This button (${click.verb}) is not supported.`);
    try {
      ctx.logger.info({ user: click.user.id, platform: click.platform, verb: click.verb }, 'click');
      return await spec.run(click, ctx);
    } catch (err) {
      if (err instanceof UserFacingError) {
        ctx.logger.info(
          { user: click.user.id, verb: click.verb, code: err.code, reason: err.message },
          'click refused',
        );
        return errorReply(err.message, err.usage);
      }
      const id = newErrorId();
      ctx.logger.error(
        { err, errorId: id, user: click.user.id, verb: click.verb },
        `while handling a ${click.verb} click`,
      );
      return errorReply(`Internal error, logged as ${id}.`);
    }
  }

  /** Text after the command word (`/dp` or `dp`), e.g. `status store-042`. */
  async handle(req: CommandRequest): Promise<Reply> {
    const ctx = this.context(req);
    const tokens = tokenize(req.text.replace(/^\s*\/?dp\b/i, ''));
    const name = (tokens.shift()?.text ?? 'help').toLowerCase();
    const cmd = this.commands.find((c) => c.name === name);
    if (!cmd)
      return errorReply(`Unknown command "${name.slice(0, 40)}". Try /dp help.`, '/dp help [command]');
    try {
      const args = parseArgs(tokens, cmd.booleanFlags, cmd.usage, cmd.flags ?? []);
      const unknown = Object.keys(args.flags).filter((f) => !(cmd.flags ?? []).includes(f));
      if (unknown.length) throw new UserFacingError(`Unknown option --${unknown[0]}.`, cmd.usage);
      ctx.logger.info({ user: req.user.id, platform: req.platform, command: cmd.name }, 'command');
      return await runCommand(cmd, args, ctx);
    } catch (err) {
      if (err instanceof UserFacingError) {
        ctx.logger.info(
          { user: req.user.id, command: cmd.name, code: err.code, reason: err.message },
          'command refused',
        );
        return errorReply(err.message, err.usage);
      }
      const id = newErrorId();
      ctx.logger.error(
        { err, errorId: id, user: req.user.id, command: cmd.name },
        `while running /dp ${cmd.name}`,
      );
      return errorReply(`Internal error, logged as ${id}.`);
    }
  }
}
