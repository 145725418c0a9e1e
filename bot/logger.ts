/** JSON logs on stderr (stdout belongs to the shell adapter), with secrets redacted. */
import { type Logger, pino } from 'pino';

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
];

export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination = 2): Logger {
  return pino(
    { level, base: { app: 'dpbot' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    pino.destination({ fd: destination, sync: true }),
  );
}
