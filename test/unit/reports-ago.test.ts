import { ago } from '../../bot/reports.js';

describe('ago', () => {
  const now = new Date('2026-11-26T12:00:00Z');
  it.each([
    ['2026-11-26T11:58:30Z', '1m30s ago'],
    ['2026-11-26T12:00:00Z', '0s ago'],
    // A scan finished a few ms "after" the clock that renders it (another process): never negative.
    ['2026-11-26T12:00:00.015Z', '0s ago'],
    [undefined, 'never'],
    ['not a date', 'unknown'],
  ])('%s → %s', (iso, text) => {
    expect(ago(iso, now)).toBe(text);
  });
});
