/**
 * A careful parser for the Prometheus text exposition format (version 0.0.4), as the API server's
 * `/metrics` serves it. Written here rather than taken from npm: the one parser there
 * (`parse-prometheus-text-format`) ships no types and builds whole metric families, while the checks
 * need a few series out of a several-megabyte body — so lines of other metrics are skipped unread.
 *
 * Handles: `# HELP`/`# TYPE` and other comments (skipped), label values with `\\`, `\"`, `\n` escapes
 * and commas or braces inside quotes, an optional trailing comma, `NaN`/`+Inf`/`-Inf`, an optional
 * timestamp, CRLF line ends. A malformed line is skipped and counted, never thrown.
 */

export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch, when the line carries a timestamp. */
  timestampMs?: number;
}

export interface ParsedMetrics {
  samples: MetricSample[];
  /** Lines of a wanted metric that could not be read. */
  malformed: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
/** Sticky: matched at `lastIndex` of the whole label text, no slice per label. */
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;

const isNameStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58; // a-z A-Z _ :
const isNameChar = (c: number) => isNameStart(c) || (c >= 48 && c <= 57);

/**
 * True when the line at [from, end) surely holds a sample of a metric not in `names`: after spaces,
 * tabs or CR it starts with a metric name (so it is neither a comment nor malformed) that is none of
 * them. Anything else (a wanted name, a comment, an odd first character) takes the careful path.
 */
function isOtherMetric(text: string, from: number, end: number, names: readonly string[]): boolean {
  let i = from;
  for (let c = text.charCodeAt(i); i < end && (c === 32 || c === 9 || c === 13); c = text.charCodeAt(++i));
  if (i >= end || !isNameStart(text.charCodeAt(i))) return false;
  for (const n of names)
    if (text.startsWith(n, i) && (i + n.length >= end || !isNameChar(text.charCodeAt(i + n.length))))
      return false;
  return true;
}

/**
 * @param names - only samples of these metric names are returned; all when omitted.
 */
export function parseMetrics(text: string, names?: readonly string[]): ParsedMetrics {
  const wanted = names ? new Set(names) : undefined;
  const prefixes = names ? [...new Set(names)] : [];
  const samples: MetricSample[] = [];
  let malformed = 0;
  // Line by line without splitting: a real API server's /metrics is megabytes, and the checks want a
  // few series of it, so a line that starts with another metric's name is passed over unsliced.
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const lineStart = start;
    start = end + 1;
    if (wanted && isOtherMetric(text, lineStart, end, prefixes)) continue;
    const line = text.slice(lineStart, end).trim();
    if (line === '' || line.startsWith('#')) continue;
    const name = NAME.exec(line)?.[0];
    if (!name) {
      malformed++;
      continue;
    }
    if (wanted && !wanted.has(name)) continue;
    const sample = parseSample(line, name);
    if (sample) samples.push(sample);
    else malformed++;
  }
  return { samples, malformed };
}

function parseSample(line: string, name: string): MetricSample | undefined {
  let rest = line.slice(name.length);
  let labels: Record<string, string> = {};
  if (rest.trimStart().startsWith('{')) {
    const parsed = parseLabels(rest.trimStart());
    if (!parsed) return undefined;
    labels = parsed.labels;
    rest = parsed.rest;
  }
  const fields = rest.trim().split(/\s+/);
  if (fields.length < 1 || fields.length > 2 || fields[0] === '') return undefined;
  const value = parseValue(fields[0]);
  if (value === undefined) return undefined;
  const sample: MetricSample = { name, labels, value };
  if (fields.length === 2) {
    const ts = Number(fields[1]);
    if (!Number.isInteger(ts)) return undefined;
    sample.timestampMs = ts;
  }
  return sample;
}

/** `text` starts at `{`; returns the labels and what follows the closing `}`. */
function parseLabels(text: string): { labels: Record<string, string>; rest: string } | undefined {
  const labels: Record<string, string> = {};
  let i = 1;
  const skipSpace = () => {
    while (text[i] === ' ' || text[i] === '\t') i++;
  };
  for (;;) {
    skipSpace();
    if (text[i] === '}') return { labels, rest: text.slice(i + 1) };
    LABEL_NAME.lastIndex = i;
    const labelName = LABEL_NAME.exec(text)?.[0];
    if (!labelName) return undefined;
    i += labelName.length;
    skipSpace();
    if (text[i] !== '=') return undefined;
    i++;
    skipSpace();
    if (text[i] !== '"') return undefined;
    i++;
    let value = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) return undefined;
      if (c === '"') break;
      if (c === '\\') {
        const next = text[i + 1];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else return undefined;
        i += 2;
        continue;
      }
      // A run of plain characters at once, not one string per character.
      const runStart = i;
      while (i < text.length && text[i] !== '"' && text[i] !== '\\') i++;
      value += text.slice(runStart, i);
    }
    i++;
    labels[labelName] = value;
    skipSpace();
    if (text[i] === ',') i++;
    else if (text[i] !== '}') return undefined;
  }
}

function parseValue(text: string): number | undefined {
  switch (text) {
    case 'NaN':
      return Number.NaN;
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
  }
  // Number('') and Number('0x1f') would accept what Prometheus does not.
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}
