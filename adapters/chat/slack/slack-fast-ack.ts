/**
 * Slash commands are acknowledged here, in front of Bolt: read the body, check Slack's signature with
 * Bolt's own `verifySlackRequest` (HMAC-SHA256 and the 5-minute timestamp window), answer an empty 200,
 * and only then hand the command to Bolt's `App.processEvent` with a no-op ack. Through Bolt's
 * HTTPReceiver the ack waited for body buffering, parsing and the middleware chain, several event-loop
 * turns each queued behind the answers in progress (BENCHMARKS.md, p99 ~1 s under load).
 *
 * Everything else (buttons, events, `url_verification`, `ssl_check`, bad signatures on non-commands)
 * goes to Bolt's HTTPReceiver unchanged, with the body already read: Bolt takes a buffered `req.rawBody`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse } from 'node:querystring';
import { type App, defaultBodyLimit, type HTTPReceiver, isValidSlackRequest } from '@slack/bolt';
import type { SlackLogger } from './slack-options.js';

export interface FastAckOptions {
  signingSecret: string;
  receiver: HTTPReceiver;
  app: App;
  logger: SlackLogger;
  bodyLimit?: number;
}

type BufferedRequest = IncomingMessage & { rawBody?: Buffer };

export function fastAckRoute(o: FastAckOptions) {
  const limit = o.bodyLimit ?? defaultBodyLimit;
  return async (req: BufferedRequest, res: ServerResponse): Promise<void> => {
    const body = await readBody(req, limit);
    if (!body) {
      res.writeHead(413).end();
      return;
    }
    req.rawBody = body;
    const command = slashCommand(req, body);
    if (!command) {
      o.receiver.requestListener(req, res);
      return;
    }
    if (!signed(req, body.toString(), o.signingSecret)) {
      o.logger.warn({ component: 'slack' }, 'slash command with a bad or stale signature refused (401)');
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200).end();
    // The command's work starts on a later turn, after the I/O already waiting (other deliveries' acks).
    await new Promise((resolve) => setImmediate(resolve));
    o.app
      .processEvent({
        body: command,
        ack: async () => {},
        retryNum: retryNum(req),
        retryReason: header(req, 'x-slack-retry-reason'),
        customProperties: {},
      })
      .catch((err: unknown) => o.logger.error({ err }, 'Slack command failed after its ack'));
  };
}

/** The parsed form of a slash command (`command=/dp&text=…`), or undefined for anything else. */
function slashCommand(req: IncomingMessage, body: Buffer): Record<string, unknown> | undefined {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
  if (type !== 'application/x-www-form-urlencoded') return undefined;
  const form = parse(body.toString());
  if (typeof form.command !== 'string' || 'payload' in form || 'ssl_check' in form) return undefined;
  return form;
}

function signed(req: IncomingMessage, body: string, signingSecret: string): boolean {
  const signature = header(req, 'x-slack-signature');
  const timestamp = Number(header(req, 'x-slack-request-timestamp'));
  if (!signature || !Number.isFinite(timestamp)) return false;
  return isValidSlackRequest({
    signingSecret,
    body,
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

function retryNum(req: IncomingMessage): number | undefined {
  const v = header(req, 'x-slack-retry-num');
  return v === undefined ? undefined : Number.parseInt(v, 10);
}

/** The whole body, or undefined past `limit` bytes. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
