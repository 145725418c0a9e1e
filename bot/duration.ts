/** Go/Velero style durations: `90s`, `15m`, `26h`, `30d`, `1h30m`, `720h0m0s`, `500ms`. */
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

/** Milliseconds, or `undefined` when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  if (!s) return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let matched = 0;
  for (let m = PART.exec(s); m; m = PART.exec(s)) {
    total += Number(m[1]) * UNIT_MS[m[2]];
    matched = PART.lastIndex;
  }
  return matched === s.length ? Math.round(total) : undefined;
}

const FORMAT_UNITS = [
  ['d', 86400],
  ['h', 3600],
  ['m', 60],
  ['s', 1],
] as const;

/** Compact human form: `3d4h`, `2h5m`, `45s`. */
export function formatDuration(ms: number): string {
  const neg = ms < 0;
  if (Math.abs(ms) < 1000 && ms !== 0) return `${Math.round(ms)}ms`;
  let rest = Math.abs(Math.round(ms / 1000));
  if (rest === 0) return '0s';
  const parts: string[] = [];
  for (const [unit, secs] of FORMAT_UNITS) {
    const n = Math.floor(rest / secs);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * secs;
    if (parts.length === 2) break;
  }
  return (neg ? '-' : '') + parts.join('');
}
