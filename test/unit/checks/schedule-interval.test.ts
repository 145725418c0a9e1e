import { parseGoDuration, parseTimestamp, scheduleInterval } from '../../../jobs/checks/schedule-interval.js';

const NOW = new Date('2026-11-25T12:00:00Z'); // a Wednesday
const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;

describe('scheduleInterval', () => {
  it.each<[string, number, string?]>([
    ['0 2 * * *', D],
    ['*/15 * * * *', 15 * MIN],
    ['* * * * *', MIN],
    ['0,10,50 * * * *', 40 * MIN],
    ['0 */6 * * *', 6 * H],
    ['30 1 ? * *', D],
    ['0 2 * * 1-5', 3 * D], // Friday 02:00 → Monday 02:00
    ['0 2 * * MON-FRI', 3 * D],
    ['*/5 * * * 1-5', 2 * D + 5 * MIN], // Fri 23:55 → Mon 00:00, found despite the dense walk
    ['0 0 1,15 * *', 16 * D], // Nov 15 → Dec 1
    ['0 0 * JAN-DEC SUN', 7 * D],
    ['@every 6h', 6 * H],
    ['@every 1h30m', 90 * MIN],
    ['@every 1.5h', 90 * MIN],
    ['@every 500ms', 1000], // robfig rounds up to its 1s minimum
    ['@hourly', H],
    ['@daily', D],
    ['@midnight', D],
    ['@weekly', 7 * D],
    ['@monthly', 30 * D], // Nov 1 → Dec 1
    ['@yearly', 365 * D],
    ['@annually', 365 * D],
    ['CRON_TZ=Europe/Berlin 0 3 * * *', D, 'Europe/Berlin'],
    ['TZ=America/New_York 0 2 * * *', D, 'America/New_York'],
    ['CRON_TZ=UTC @every 2h', 2 * H, 'UTC'],
  ])('%s → %d ms', (expression, intervalMs, timezone = 'UTC') => {
    expect(scheduleInterval(expression, NOW)).toEqual({ ok: true, intervalMs, timezone });
  });

  it.each<[unknown, RegExp]>([
    ['', /empty/],
    [undefined, /empty/],
    [42, /not a string/],
    ['0 2 * *', /exactly 5 fields, found 4/],
    ['0 0 2 * * *', /exactly 5 fields, found 6/], // seconds field: Velero's ParseStandard rejects it
    ['0 0 L * *', /"L" is not supported/],
    ['0 0 * * 1#2', /characters Velero's cron parser does not accept/],
    ['H 2 * * *', /"H" is not supported/],
    ['61 * * * *', /61/],
    ['0 0 30 2 *', /day of month/],
    ['@fortnightly', /unknown descriptor "@fortnightly"/],
    ['@every 1d', /invalid @every duration "1d"/],
    ['@every', /unknown descriptor/],
    ['CRON_TZ=Mars/Olympus 0 2 * * *', /unknown time zone "Mars\/Olympus"/],
    ['every day at two', /exactly 5 fields/],
  ])('rejects %p', (expression, error) => {
    const result = scheduleInterval(expression, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(error);
  });

  it('sees the 25h day when a local-time cron crosses the end of daylight saving', () => {
    const afterDstEnd = new Date('2026-11-02T12:00:00Z'); // New York left DST on 2026-11-01
    expect(scheduleInterval('CRON_TZ=America/New_York 0 2 * * *', afterDstEnd)).toMatchObject({
      intervalMs: D + H,
    });
  });

  it('answers from the cache within the same hour', () => {
    const a = scheduleInterval('0 2 * * 1-5', new Date('2026-11-25T12:10:00Z'));
    const b = scheduleInterval('0 2 * * 1-5', new Date('2026-11-25T12:50:00Z'));
    expect(b).toEqual(a);
  });
});

describe('parseGoDuration', () => {
  it.each<[string, number | undefined]>([
    ['6h', 6 * H],
    ['1h30m', 90 * MIN],
    ['90s', 90_000],
    ['1m0s', MIN],
    ['250ms', 250],
    ['1.5h', 90 * MIN],
    ['1d', undefined],
    ['', undefined],
    ['h', undefined],
    ['5', undefined],
  ])('%p → %p', (text, ms) => expect(parseGoDuration(text)).toBe(ms));
});

describe('parseTimestamp', () => {
  it.each<[unknown, number | undefined]>([
    ['2026-11-25T02:00:00Z', Date.UTC(2026, 10, 25, 2)],
    ['2026-11-25T03:00:00+01:00', Date.UTC(2026, 10, 25, 2)],
    ['2026-11-25T02:00:00.123Z', Date.UTC(2026, 10, 25, 2) + 123],
    ['1', undefined], // Date.parse would say 2001
    ['2026', undefined],
    ['yesterday', undefined],
    ['2026-13-45T99:00:00Z', undefined],
    [null, undefined],
    [12345, undefined],
  ])('%p → %p', (value, ms) => expect(parseTimestamp(value)).toBe(ms));
});
