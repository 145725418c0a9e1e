/**
 * The Slack ChatAdapter: real Bolt, mounted on the shared HTTP server at `POST /slack/events` (signature
 * and 5-minute timestamp checked → 401; slash commands acked before Bolt, slack-fast-ack.ts), or Socket
 * Mode when an app token is given.
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
