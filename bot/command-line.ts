/** Splits `status store-042 --reason "two words"` into positionals and flags. */
import { UserFacingError } from './errors.js';

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | true>;
}

/** One word of a command line; a quoted word is always a value, never a flag. */
export interface Token {
  text: string;
  /** The whole word was quoted (`--flag="…"` is a flag, not a quoted word). */
  quoted: boolean;
  /** The quote that opened this word was never closed (it runs to the end of the line). */
  unclosed?: string;
}

// Chat clients' smart punctuation: “…” and ‘…’ for quotes, and an en or em dash for "--".
const QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’' };
const DASHES = /^[\u2013\u2014]/;

/** Words separated by blanks; `"…"`, `'…'`, `“…”`, `‘…’` quote a word, also after `--flag=`. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\S+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const word = m[0];
    const eq = word.startsWith('--') || DASHES.test(word) ? word.indexOf('=') + 1 : 0;
    const close = QUOTES[word[eq]];
    if (!close) {
      tokens.push({ text: word, quoted: false });
      continue;
    }
    const start = m.index + eq + 1;
    const end = text.indexOf(close, start);
    if (end < 0) {
      tokens.push({ text: text.slice(m.index), quoted: true, unclosed: word[eq] });
      break;
    }
    tokens.push({ text: word.slice(0, eq) + text.slice(start, end), quoted: eq === 0 });
    re.lastIndex = end + 1;
  }
  return tokens;
}

/**
 * `booleanFlags` take no value; every other `--flag` needs one (`--flag v` or `--flag=v`). With
 * `knownFlags`, any other flag is refused by name first (not as "needs a value").
 */
export function parseArgs(
  tokens: Token[],
  booleanFlags: string[] = [],
  usage?: string,
  knownFlags?: string[],
): ParsedArgs {
  const open = tokens.find((t) => t.unclosed);
  if (open)
    throw new UserFacingError(`A quote (${open.unclosed}) is never closed: ${open.text.slice(0, 40)}`, usage);
  const out: ParsedArgs = { positionals: [], flags: {} };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const t = token.quoted ? token.text : token.text.replace(DASHES, '--');
    if (token.quoted || !/^-[^\d]/.test(t)) {
      out.positionals.push(t);
      continue;
    }
    if (!t.startsWith('--'))
      throw new UserFacingError(`Unknown option ${t.slice(0, 40)}: options start with two hyphens.`, usage);
    const eq = t.indexOf('=');
    const name = eq > 0 ? t.slice(2, eq) : t.slice(2);
    if (knownFlags && !knownFlags.includes(name) && !booleanFlags.includes(name))
      throw new UserFacingError(`Unknown option --${name.slice(0, 40)}.`, usage);
    if (out.flags[name] !== undefined) throw new UserFacingError(`--${name} is given twice.`, usage);
    if (booleanFlags.includes(name)) {
      if (eq > 0) throw new UserFacingError(`--${name} takes no value.`, usage);
      out.flags[name] = true;
      continue;
    }
    const next = eq < 0 ? tokens[++i] : undefined;
    const value = eq > 0 ? t.slice(eq + 1) : next?.text;
    if (value === undefined || (next && !next.quoted && /^(--|[\u2013\u2014])/.test(value)))
      throw new UserFacingError(`--${name} needs a value.`, usage);
    out.flags[name] = value;
  }
  return out;
}
