/** What the Slack adapter needs, given by main.ts (which reads the environment); nothing here reads env. */
import type { DeliveryDeduper } from '../../../bot/chat-port.js';
import type { HttpServer } from '../../http/http-server.js';

/** The subset of pino's logger the adapter uses. */
export interface SlackLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SlackAdapterOptions {
  botToken: string;
  signingSecret: string;
  /** Set → Socket Mode (no inbound HTTP); unset → Bolt on `http` at `POST /slack/events`. */
  appToken?: string;
  /** Shared HTTP server; required unless `appToken` is set. */
  http?: HttpServer;
  /** Slack Web API base (`SLACK_API_URL`). @defaultValue `https://slack.com/api/` */
  apiUrl?: string;
  /** Usergroup ids (from `slack-group:<id>` in the access config) to resolve membership for. */
  groupIds?: string[];
  /** Shared across replicas (Redis) so a retry landing on another replica is still caught. */
  deduper: DeliveryDeduper;
  logger?: SlackLogger;
  /** The slash command. @defaultValue `/dp` */
  command?: string;
  /** How long a slash command may think before a private "working…" note is posted. @defaultValue 2000 */
  ackBudgetMs?: number;
  /** How long usergroup members are cached. @defaultValue 60000 */
  groupCacheMs?: number;
  /** How long delivery keys are remembered. @defaultValue 3600000 (Slack retries within minutes) */
  dedupeTtlMs?: number;
  /** Environment for proxy settings (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`). @defaultValue process.env */
  proxyEnv?: Record<string, string | undefined>;
}

export const silentLogger: SlackLogger = { debug() {}, info() {}, warn() {}, error() {} };
