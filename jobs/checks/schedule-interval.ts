/**
 * Turns a Velero `spec.schedule` into the interval between backups. Velero (≥ 1.15) parses it with
 * robfig/cron v3 `ParseStandard`: exactly 5 fields, the `@` descriptors, `@every <Go duration>`, and
 * an optional `CRON_TZ=`/`TZ=` prefix. cron-parser is more lenient (seconds, L, #, H, 4 fields), so
 * we check Velero's grammar first: an expression Velero would reject is reported, not guessed at.
 */
import { CronExpressionParser } from 'cron-parser';

export type ScheduleInterval =
  | { ok: true; intervalMs: number; timezone: string }
  | { ok: false; error: string };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The week before now holds every gap of a weekly pattern (weekdays-only crons), plus a day ahead. */
const LOOK_BACK = 7 * DAY;
const LOOK_AHEAD = DAY;
/** Probes sit between whole minutes, so they never coincide with a run (cron has minute resolution). */
const OFF_MINUTE = 30_000;
/** Consecutive runs walked one by one before skipping ahead through dense (sub-hourly) stretches. */
const DENSE_STEPS = 200;

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const CACHE_SIZE = 500;
const cache = new Map<string, number>();

const MONTHS = 'jan feb mar apr may jun jul aug sep oct nov dec'.split(' ');
const DAYS = 'sun mon tue wed thu fri sat'.split(' ');
/** robfig field grammar: numbers, `*`, `?`, names (month and weekday only), `,` `-` `/`. */
const FIELD = /^[0-9A-Za-z*?,/-]+$/;

/** The longest gap between consecutive runs around `now`, in ms (UTC unless the expression names a zone). */
export function scheduleInterval(expression: unknown, now: Date): ScheduleInterval {
  if (expression !== undefined && expression !== null && typeof expression !== 'string') {
    return { ok: false, error: 'schedule is not a string' };
  }
  let spec = (expression ?? '').trim();
  if (!spec) return { ok: false, error: 'schedule is empty' };
  let timezone = 'UTC';
  const tz = /^(?:CRON_TZ|TZ)=(\S*)\s+(.*)$/.exec(spec);
  if (tz) {
    timezone = tz[1];
    spec = tz[2].trim();
    if (!isKnownZone(timezone)) return { ok: false, error: `unknown time zone "${timezone}"` };
  }
  if (spec.startsWith('@every ')) return everyInterval(spec.slice(7).trim(), timezone);
  const standard = spec.startsWith('@') ? DESCRIPTORS[spec] : spec;
  if (!standard) return { ok: false, error: `unknown descriptor "${spec}"` };
  const problem = grammarProblem(standard);
  if (problem) return { ok: false, error: problem };
  // Computed for the start of the hour so results can be cached: a scan every few minutes would
  // otherwise walk the same week of runs again each time.
  const hourMs = Math.floor(now.getTime() / HOUR) * HOUR;
  const key = `${timezone}|${standard}|${hourMs}`;
  const cached = cache.get(key);
  if (cached !== undefined) return { ok: true, intervalMs: cached, timezone };
  try {
    const cron = CronExpressionParser.parse(standard, { currentDate: new Date(hourMs), tz: timezone });
    const gap = longestGap(cron, hourMs);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    if (gap) cache.set(key, gap);
    return gap ? { ok: true, intervalMs: gap, timezone } : { ok: false, error: 'schedule never fires' };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

function everyInterval(text: string, timezone: string): ScheduleInterval {
  const ms = parseGoDuration(text);
  if (ms === undefined || ms <= 0) return { ok: false, error: `invalid @every duration "${text}"` };
  // robfig's Every() rounds down to whole seconds, with a 1s minimum.
  return { ok: true, intervalMs: Math.max(1000, Math.floor(ms / 1000) * 1000), timezone };
}

function grammarProblem(spec: string): string | undefined {
  const fields = spec.split(/\s+/);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}`;
  for (const [i, field] of fields.entries()) {
    if (!FIELD.test(field)) return `field "${field}" has characters Velero's cron parser does not accept`;
    const names = i === 3 ? MONTHS : i === 4 ? DAYS : [];
    for (const token of field.split(/[,/-]/)) {
      if (/[A-Za-z]/.test(token) && !names.includes(token.toLowerCase())) {
        return `field "${field}": "${token}" is not supported by Velero's cron parser`;
      }
    }
  }
  return undefined;
}

type Cron = ReturnType<typeof CronExpressionParser.parse>;

/**
 * Walks runs from the last one before `now - LOOK_BACK` to the first after `now + LOOK_AHEAD`. Dense
 * stretches are skipped an hour at a time (the skipped gaps are all shorter than an hour), so an
 * every-minute cron costs about as much as an hourly one while weekend gaps are still found exactly.
 */
function longestGap(cron: Cron, nowMs: number): number {
  const end = nowMs + LOOK_AHEAD;
  cron.reset(new Date(nowMs - LOOK_BACK));
  let run = cron.prev().getTime();
  let longest = 0;
  for (let steps = 0; run <= end; steps++) {
    cron.reset(new Date(run));
    const next = cron.next().getTime();
    if (next - run < HOUR && steps >= DENSE_STEPS) {
      const probe = new Date(run + HOUR + OFF_MINUTE);
      cron.reset(probe);
      const before = cron.prev().getTime();
      cron.reset(probe);
      const after = cron.next().getTime();
      longest = Math.max(longest, next - run, after - before);
      run = after;
    } else {
      longest = Math.max(longest, next - run);
      run = next;
    }
  }
  return longest;
}

function isKnownZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const GO_UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: HOUR,
};

/** Go's time.ParseDuration (what `@every` takes): `6h`, `1h30m`, `1.5h`, `90s`; no `d` unit. */
export function parseGoDuration(text: string): number | undefined {
  const parts = /^(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h)/;
  let rest = text;
  let total = 0;
  if (!rest) return undefined;
  while (rest) {
    const m = parts.exec(rest);
    if (!m) return undefined;
    const unit = /(ns|us|µs|ms|s|m|h)$/.exec(m[0])![1];
    total += Number(m[0].slice(0, -unit.length)) * GO_UNIT_MS[unit];
    rest = rest.slice(m[0].length);
  }
  return total;
}

/** RFC 3339 timestamp → epoch ms; anything else (garbage, `Date.parse`'s lenient forms) → undefined. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
