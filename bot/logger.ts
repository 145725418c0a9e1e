/** JSON logs on stderr (stdout belongs to the shell adapter), with secrets redacted. */
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/** Paths pino blanks out wherever they appear in a log object. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'appPassword',
  'MicrosoftAppPassword',
  '*.MicrosoftAppPassword',
  '*.appPassword',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  'response_url',
  '*.response_url',
  'responseUrl',
  '*.responseUrl',
  'value',
  '*.value',
  'clientSecret',
  '*.clientSecret',
  // Environment-shaped objects and HTTP client errors that carry request headers or bearer tokens.
  'SLACK_BOT_TOKEN',
  '*.SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  '*.SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  '*.SLACK_SIGNING_SECRET',
  'AZURE_CLIENT_SECRET',
  '*.AZURE_CLIENT_SECRET',
  '*.headers.Authorization',
  '*.*.headers.authorization',
  '*.*.headers.Authorization',
  'accessToken',
  '*.accessToken',
  'bearerToken',
  '*.bearerToken',
  'secret',
  '*.secret',
  'stringData',
  '*.stringData',
];

/** @param destination a file descriptor (default stderr) or a stream (tests capture the JSON lines). */
export function createLogger(
  level = process.env.LOG_LEVEL || 'info',
  destination: number | DestinationStream = 2,
): Logger {
  return pino(
    { level, base: { app: 'dpbot' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    typeof destination === 'number' ? pino.destination({ fd: destination, sync: true }) : destination,
  );
}
