/**
 * The Slack ChatAdapter: real Bolt, mounted on the shared HTTP server at `POST /slack/events` (signature
 * and 5-minute timestamp checked → 401; slash commands acked before Bolt, slack-fast-ack.ts), or Socket
 * Mode when an app token is given.
 *
 * Inbound, work is deferred three ways, in this order (the one place this is described; the files
 * named hold the mechanisms). Slack wants an ack within 3 s (we aim under 100 ms), and under a burst
 * every millisecond spent before one ack is paid by every delivery queued behind it (BENCHMARKS.md).
 *
 * 1. The ack comes before any work. Slash commands over HTTP get their empty 200 in front of Bolt
 *    (slack-fast-ack.ts) and reach Bolt with a no-op ack; buttons call `ack()` first
 *    (`SlackInteractions.click`); Bolt acks Events API deliveries (@mentions) before the listener; in
 *    Socket Mode Bolt's ack answers the envelope. After the ack nothing reaches Slack by itself: every
 *    answer is a Web API call or a response_url post, and a failure is said privately with an error id.
 *    Redeliveries are dropped after the ack (adapters/store/redis-deduper.ts, keyed by trigger_id / event_id).
 * 2. A slash command's work waits for the acks still arriving (AfterAcks, adapters/http/after-acks.ts):
 *    Node accepts one connection per event-loop turn, so a turn spent answering delays the next ack.
 *    The work starts once a whole turn passed with no new connection, or after 250 ms of waiting: over
 *    HTTP in slack-fast-ack.ts before Bolt processes the command, and each time step 3 lets one in
 *    (in Socket Mode without an HTTP server, on an AfterAcks of its own: one per turn). Buttons and
 *    mentions do not wait here.
 * 3. At most 4 commands think at once (the `Gate` in slack-interactions.ts: router, Redis reads,
 *    rendering). One still thinking after `ackBudgetMs` (2 s) leaves the gate and posts a private
 *    "⏳ working…" note through its response_url, which the answer later replaces or deletes.
 *
 * Then the port's own follow-up, the same on every platform: the reply's `afterPost` runs once it is
 * posted (e.g. queue the scan whose result edits that message later, through the notify queue).
 */
import { App, type Logger as BoltLogger, HTTPReceiver, LogLevel, SocketModeReceiver } from '@slack/bolt';
import type {
  ChatAdapter,
  ClickListener,
  CommandListener,
  Conversation,
  MessageRef,
} from '../../../bot/chat-port.js';
import type { BotMessage } from '../../../bot/message.js';
import { AfterAcks } from '../../http/after-acks.js';
import { proxyTransport } from './proxy-fetch.js';
import { renderSlack } from './render.js';
import { fastAckRoute } from './slack-fast-ack.js';
import { SlackIdentityResolver } from './slack-identity.js';
import { SlackInteractions } from './slack-interactions.js';
import { type SlackAdapterOptions, type SlackLogger, silentLogger } from './slack-options.js';
import { SlackWeb, webClientOptions } from './slack-web.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export class SlackAdapter implements ChatAdapter {
  readonly platform = 'slack' as const;
  private readonly app: App;
  private readonly web: SlackWeb;
  private readonly socketMode: boolean;
  private commandListener?: CommandListener;
  private clickListener?: ClickListener;

  constructor(options: SlackAdapterOptions) {
    const logger = options.logger ?? silentLogger;
    const boltLogger = toBoltLogger(logger);
    const proxy = proxyTransport(options.proxyEnv ?? process.env);
    const clientOptions = webClientOptions(options.apiUrl, proxy?.fetch);
    this.socketMode = Boolean(options.appToken);
    const receiver = options.appToken
      ? new SocketModeReceiver({
          appToken: options.appToken,
          logger: boltLogger,
          dispatcher: proxy?.dispatcher,
          // apps.connections.open goes to SLACK_API_URL too (Socket Mode's own client keeps its retries).
          installerOptions: { clientOptions: { ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}) } },
        })
      : new HTTPReceiver({
          signingSecret: options.signingSecret,
          endpoints: SLACK_EVENTS_PATH,
          signatureVerification: true,
          logger: boltLogger,
        });
    this.app = new App({
      token: options.botToken,
      receiver,
      logger: boltLogger,
      clientOptions,
      // auth.test runs in start(), not in the constructor, so building the adapter never touches the network.
      deferInitialization: true,
    });
    if (receiver instanceof HTTPReceiver) {
      if (!options.http)
        throw new Error('SlackAdapter: an HttpServer is required unless an app token (Socket Mode) is set');
      // Slash commands are acked in front of Bolt (slack-fast-ack.ts); everything else goes to Bolt's receiver.
      options.http.route(
        'POST',
        SLACK_EVENTS_PATH,
        fastAckRoute({
          signingSecret: options.signingSecret,
          receiver,
          app: this.app,
          logger,
          afterAcks: options.http.afterAcks,
        }),
      );
    }
    this.web = new SlackWeb(this.app.client, proxy?.fetch);
    const interactions = new SlackInteractions({
      web: this.web,
      identities: new SlackIdentityResolver(
        this.web,
        options.groupIds ?? [],
        options.groupCacheMs ?? 60_000,
        logger,
      ),
      deduper: options.deduper,
      logger,
      ackBudgetMs: options.ackBudgetMs ?? 2000,
      dedupeTtlMs: options.dedupeTtlMs ?? 3_600_000,
      commandListener: () => this.commandListener,
      // Socket Mode has no HTTP deliveries to wait for: one answer per turn, as over HTTP when quiet.
      afterAcks: options.http?.afterAcks ?? new AfterAcks(),
      clickListener: () => this.clickListener,
    });
    this.app.command(options.command ?? '/dp', (args) => interactions.command(args));
    this.app.action<import('@slack/bolt').BlockAction<import('@slack/bolt').ButtonAction>>(
      { type: 'block_actions', action_id: /^dp:/ },
      (args) => interactions.click(args),
    );
    this.app.event('app_mention', (args) => interactions.mention(args));
    this.app.error(async (err) => logger.error({ err }, 'Slack delivery failed'));
  }

  async start(): Promise<void> {
    await this.app.init();
    // Over HTTP the shared server is already listening; Socket Mode opens its websocket here.
    if (this.socketMode) await this.app.start();
  }

  async stop(): Promise<void> {
    if (this.socketMode) await this.app.stop();
  }

  send(to: Conversation, message: BotMessage): Promise<MessageRef> {
    return this.web.post(to, renderSlack(message), message.image);
  }

  update(ref: MessageRef, message: BotMessage): Promise<void> {
    return this.web.update(ref, renderSlack(message));
  }

  onCommand(listener: CommandListener): void {
    this.commandListener = listener;
  }

  onClick(listener: ClickListener): void {
    this.clickListener = listener;
  }
}

/** Bolt's logger interface over pino; Bolt's messages carry no secrets (tokens are redacted by WebClient). */
function toBoltLogger(logger: SlackLogger): BoltLogger {
  const line = (msgs: unknown[]) => msgs.map((m) => (m instanceof Error ? m.message : String(m))).join(' ');
  let level = LogLevel.INFO;
  return {
    debug: (...m: unknown[]) => logger.debug({ component: 'slack' }, line(m)),
    info: (...m: unknown[]) => logger.info({ component: 'slack' }, line(m)),
    warn: (...m: unknown[]) => logger.warn({ component: 'slack' }, line(m)),
    error: (...m: unknown[]) => logger.error({ component: 'slack' }, line(m)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
