/** Button clicks: each verb is re-authorized at click time by its handler; denials are answered. */
import type { ButtonClick, Reply } from '../bot/chat-port.js';
import type { ButtonVerb } from '../bot/message.js';
import type { HandlerContext } from './handler.js';

export interface ClickSpec {
  verb: ButtonVerb;
  run(click: ButtonClick, ctx: HandlerContext): Promise<Reply>;
}
