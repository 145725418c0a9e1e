/** Coded errors. Only UserFacingError text reaches chat; everything else is logged with an id. */
import { randomBytes } from 'node:crypto';

export class DpbotError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Text safe to show in chat: bad input, denied access, a failed preflight. */
export class UserFacingError extends DpbotError {
  constructor(
    message: string,
    readonly usage?: string,
    code = 'UserError',
  ) {
    super(code, message);
  }
}

export class AccessDeniedError extends UserFacingError {
  constructor(message: string) {
    super(message, undefined, 'AccessDenied');
  }
}

/** Invalid configuration: stops startup with the field path and the fix. */
export class ConfigError extends DpbotError {
  constructor(readonly problems: string[]) {
    super('ConfigInvalid', `invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Redis is neither configured nor startable. */
export class RedisUnavailableError extends DpbotError {
  constructor(message: string) {
    super('RedisUnavailable', message);
  }
}

/** A short id to quote in "internal error, logged as <id>". */
export function newErrorId(): string {
  return randomBytes(4).toString('hex');
}
