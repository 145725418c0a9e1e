/** The chat adapters the environment enables (DESIGN §4), and the router they all feed. */
import type { Readable, Writable } from 'node:stream';
import { ShellAdapter, shellUser } from '../adapters/chat/shell/shell-adapter.js';
import { SlackAdapter } from '../adapters/chat/slack/slack-adapter.js';
import { TeamsAdapter } from '../adapters/chat/teams/teams-adapter.js';
import type { HttpServer } from '../adapters/http/http-server.js';
import { ConversationRefStore } from '../adapters/store/conversation-refs.js';
import type { RedisClient } from '../adapters/store/redis-client.js';
import { RedisDeduper } from '../adapters/store/redis-deduper.js';
import type { HandlerContext, ScanRequests } from '../handlers/handler.js';
import { clicks, commands } from '../handlers/index.js';
import type { ActionRequests } from '../jobs/approvals/ports.js';
import type { ChartRenderer } from '../jobs/charts/chart-port.js';
import type { AzureOnlyClusters } from '../jobs/fleet/azure-only-directory.js';
import type { ChatSender } from '../jobs/notify-job.js';
import { groupsOfInterest } from './access.js';
import type { ChatAdapter, Platform } from './chat-port.js';
import type { Clock } from './clock.js';
import type { DpbotConfig } from './config.js';
import type { Logger } from './logger.js';
import type { Role } from './main.js';
import { Router } from './router.js';
import { proxyEnv, type RuntimeEnv } from './runtime-env.js';
import type { Stores } from './wire-stores.js';

export interface ChatWiring {
  adapters: ChatAdapter[];
  /** Opened when no chat platform is configured (and the process takes commands). */
  shell?: ShellAdapter;
  /** Who sends what the notify worker delivers, per platform. */
  senders: Partial<Record<Platform, ChatSender>>;
}

export function wireChat(o: {
  env: RuntimeEnv;
  config: DpbotConfig;
  role: Role;
  redis: RedisClient;
  http: HttpServer;
  logger: Logger;
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
}): ChatWiring {
  const { env, config, redis, http, logger } = o;
  const adapters: ChatAdapter[] = [];
  if (env.SLACK_BOT_TOKEN)
    adapters.push(
      new SlackAdapter({
        botToken: env.SLACK_BOT_TOKEN,
        signingSecret: env.SLACK_SIGNING_SECRET ?? '',
        appToken: env.SLACK_APP_TOKEN,
        apiUrl: env.SLACK_API_URL,
        http,
        groupIds: groupsOfInterest(config.clusters).map((g) => g.slice('slack-group:'.length)),
        deduper: new RedisDeduper(redis, config.redisPrefix),
        logger: logger.child({ platform: 'slack' }),
        proxyEnv: proxyEnv(env),
      }),
    );
  // Teams is always served at /api/messages (anonymous without an app id, as the Emulator expects).
  adapters.push(
    new TeamsAdapter({
      http,
      conversationRefs: new ConversationRefStore(redis, { prefix: config.redisPrefix }),
      appId: env.MicrosoftAppId,
      appPassword: env.MicrosoftAppPassword,
      tenantId: env.MicrosoftAppTenantId,
      appType: env.MicrosoftAppType,
      deduper: new RedisDeduper(redis, config.redisPrefix, 'teams'),
      logger: logger.child({ platform: 'teams' }),
    }),
  );
  const chatConfigured = Boolean(env.SLACK_BOT_TOKEN || env.MicrosoftAppId);
  let shell: ShellAdapter | undefined;
  if (!chatConfigured && o.role !== 'worker') {
    const stdin = (o.stdin ?? process.stdin) as NodeJS.ReadableStream & { isTTY?: boolean };
    shell = new ShellAdapter({
      user: shellUser({ DPBOT_SHELL_USER: env.DPBOT_SHELL_USER, USER: env.USER }),
      input: stdin as unknown as Readable,
      output: (o.stdout ?? process.stdout) as unknown as Writable,
      interactive: Boolean(stdin.isTTY),
    });
    adapters.push(shell);
  }
  const senders: Partial<Record<Platform, ChatSender>> = {};
  for (const a of adapters) senders[a.platform] = a;
  return { adapters, shell, senders };
}

/** What every handler gets (bot/main.ts and the test rigs): the stores, queued work, pictures. */
export function handlerDeps(o: {
  config: DpbotConfig;
  stores: Stores;
  scans: ScanRequests;
  actions: ActionRequests;
  charts: ChartRenderer;
  clock: Clock;
  logger: Logger;
  azureOnly?: AzureOnlyClusters;
}): Omit<HandlerContext, 'request'> {
  const { stores, ...rest } = o;
  const { waiters: _waiters, ...forHandlers } = stores;
  return { ...forHandlers, ...rest };
}

/** The router over every command and click, each request given `deps` plus who asked. */
export function wireRouter(deps: Omit<HandlerContext, 'request'>): Router {
  return new Router(commands, (request) => ({ ...deps, request }), clicks);
}

export function connectRouter(adapters: ChatAdapter[], router: Router): void {
  for (const a of adapters) {
    a.onCommand((req) => router.handle(req));
    a.onClick((click) => router.handleClick(click));
  }
}
