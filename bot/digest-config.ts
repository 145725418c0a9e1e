/** `digest:` of DESIGN §3 (§11): when the fleet digest is posted and where. */
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';

function isCron(s: string): boolean {
  if (s.trim().split(/\s+/).length !== 5) return false;
  try {
    CronExpressionParser.parse(s, { tz: 'UTC' });
    return true;
  } catch {
    return false;
  }
}

function isTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const digestSchema = z
  .object({
    schedule: z.string().refine(isCron, {
      message: 'must be a 5-field cron expression, e.g. "0 8 * * 1-5" (08:00 on weekdays)',
    }),
    timezone: z
      .string()
      .refine(isTimezone, { message: 'must be an IANA time zone such as UTC or Europe/Berlin' })
      .optional(),
    slack: z.array(z.string().min(1)).optional(),
    teams: z.array(z.string().min(1)).optional(),
  })
  .strict();

export interface DigestConfig {
  /** 5-field cron, evaluated in `timezone`. */
  schedule: string;
  /** @defaultValue UTC */
  timezone: string;
  slack: string[];
  teams: string[];
}

export function toDigestConfig(input: z.infer<typeof digestSchema> | undefined): DigestConfig | undefined {
  if (!input) return undefined;
  return {
    schedule: input.schedule,
    timezone: input.timezone ?? 'UTC',
    slack: input.slack ?? [],
    teams: input.teams ?? [],
  };
}
