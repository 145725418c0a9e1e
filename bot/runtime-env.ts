/**
 * Every environment variable dpbot reads, as one zod schema, validated before anything connects
 * (STYLE 7): a Slack token without its secret stops startup before Redis is touched.
 */
import { z } from 'zod';
import { ConfigError } from './errors.js';

/** Set and non-empty, or undefined: an empty variable counts as unset, as before. */
const text = z
  .string()
  .optional()
  .transform((v) => v || undefined);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const RuntimeEnvSchema = z
  .object({
    /** A pino level; anything else would make pino throw before a word is logged. */
    LOG_LEVEL: z
      .string()
      .optional()
      .transform((v) => v || undefined)
      .pipe(z.enum(LOG_LEVELS, { error: `must be a pino level: ${LOG_LEVELS.join(', ')}` }).optional()),
    /** Config file path (when `--config` is not given). */
    DPBOT_CONFIG: z.string().optional(),
    /** Unset: a private redis-server is started (adapters/store/redis-connection.ts). */
    REDIS_URL: z.string().optional(),
    /** Redis Cluster seeds `host:port,…` (or REDIS_URL=redis+cluster://…); read by adapters/store/redis-env.ts. */
    REDIS_CLUSTER_NODES: z.string().optional(),
    /** CA file for `rediss://` (a private CA); NODE_EXTRA_CA_CERTS works too. */
    REDIS_TLS_CA_FILE: z.string().optional(),
    SLACK_BOT_TOKEN: text,
    SLACK_SIGNING_SECRET: text,
    /** Socket Mode instead of the HTTP Events API. */
    SLACK_APP_TOKEN: text,
    SLACK_API_URL: text,
    MicrosoftAppId: text,
    MicrosoftAppPassword: text,
    MicrosoftAppTenantId: text,
    MicrosoftAppType: text,
    /** Scans in flight per worker process; not a positive number = the default (BENCHMARKS.md). */
    DPBOT_SCAN_CONCURRENCY: z
      .string()
      .optional()
      .transform((v) => Number(v) || undefined),
    /** The shell adapter's identity. @defaultValue the OS user */
    DPBOT_SHELL_USER: z.string().optional(),
    USER: z.string().optional(),
    PORT: text.pipe(
      z
        .string()
        .refine((p) => /^\d{1,5}$/.test(p) && Number(p) <= 65535, {
          message: 'must be a TCP port number (0-65535), e.g. PORT=3000',
        })
        .optional(),
    ),
    HTTPS_PROXY: z.string().optional(),
    https_proxy: z.string().optional(),
    HTTP_PROXY: z.string().optional(),
    http_proxy: z.string().optional(),
    NO_PROXY: z.string().optional(),
    no_proxy: z.string().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN)
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: 'required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)',
      });
  });

export type RuntimeEnv = z.output<typeof RuntimeEnvSchema>;

/** The proxy variables, for the Slack adapter's outbound calls. */
export function proxyEnv(env: RuntimeEnv): Record<string, string | undefined> {
  const { HTTPS_PROXY, https_proxy, HTTP_PROXY, http_proxy, NO_PROXY, no_proxy } = env;
  return { HTTPS_PROXY, https_proxy, HTTP_PROXY, http_proxy, NO_PROXY, no_proxy };
}

/** Reads and validates the environment; problems stop startup as a ConfigError naming the variable. */
export function loadRuntimeEnv(env: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  const parsed = RuntimeEnvSchema.safeParse(env);
  if (!parsed.success)
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return parsed.data;
}
