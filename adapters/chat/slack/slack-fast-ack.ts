/**
 * Slash commands are acknowledged here, in front of Bolt: read the body, check Slack's signature with
 * Bolt's own `isValidSlackRequest` (HMAC-SHA256 and the 5-minute timestamp window), answer an empty 200,
 * and only then hand the command to Bolt's `App.processEvent` with a no-op ack. Through Bolt's
 * HTTPReceiver the ack waited for body buffering, parsing and the middleware chain, several event-loop
 * turns each queued behind the answers in progress (BENCHMARKS.md, p99 ~1 s under load).
 *
 * Everything else (buttons, events, `url_verification`, `ssl_check`, bad signatures on non-commands)
 * goes to Bolt's HTTPReceiver unchanged, with the body already read: Bolt takes a buffered `req.rawBody`.
 * Deferrals 1 and 2 of the inbound path (slack-adapter.ts describes all three) happen here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type App, type HTTPReceiver, HTTPModuleFunctions as http, isValidSlackRequest } from '@slack/bolt';
import type { AfterAcks } from '../../http/after-acks.js';
import type { SlackLogger } from './slack-options.js';

export interface FastAckOptions {
  signingSecret: string;
  receiver: HTTPReceiver;
  app: App;
  logger: SlackLogger;
  /** Where the command's work waits for the acks of deliveries still arriving. */
  afterAcks: AfterAcks;
  bodyLimit?: number;
}

/** Bolt's own request helpers do the buffering, parsing and retry headers; only the order is ours. */
type Buffered = IncomingMessage & { rawBody: Buffer };

export function fastAckRoute(o: FastAckOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let buffered: Buffered;
    try {
      // Sets req.rawBody, which Bolt's receiver takes as is for everything that is not a command.
      buffered = await http.bufferIncomingMessage(req, o.bodyLimit ?? http.defaultBodyLimit);
    } catch (err) {
      if (!http.isRawBodyError(err)) throw err;
      http.buildNoBodyResponse(res, err.statusCode === 413 ? 413 : 400);
      return;
    }
    const command = slashCommand(buffered);
    if (!command) {
      o.receiver.requestListener(buffered, res);
      return;
    }
    if (!signed(buffered, o.signingSecret)) {
      o.logger.warn({ component: 'slack' }, 'slash command with a bad or stale signature refused (401)');
      http.buildNoBodyResponse(res, 401);
      return;
    }
    http.buildNoBodyResponse(res, 200);
    // The command's work starts on a later turn, once the deliveries still arriving have their acks.
    await o.afterAcks.turn();
    o.app
      .processEvent({
        body: command,
        ack: async () => {},
        retryNum: http.extractRetryNumFromHTTPRequest(req),
        retryReason: http.extractRetryReasonFromHTTPRequest(req),
        customProperties: {},
      })
      .catch((err: unknown) => o.logger.error({ err }, 'Slack command failed after its ack'));
  };
}

/** The parsed slash command (`command=/dp&text=…`), or undefined for anything else (left to Bolt). */
function slashCommand(req: Buffered): Record<string, unknown> | undefined {
  if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return undefined;
  const form = http.parseHTTPRequestBody(req) as Record<string, unknown>;
  return typeof form.command === 'string' && form.ssl_check === undefined ? form : undefined;
}

function signed(req: Buffered, signingSecret: string): boolean {
  const signature = req.headers['x-slack-signature'];
  const timestamp = Number(req.headers['x-slack-request-timestamp']);
  if (typeof signature !== 'string' || !Number.isFinite(timestamp)) return false;
  return isValidSlackRequest({
    signingSecret,
    body: req.rawBody.toString(),
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
  });
}
