/** Splits `status store-042 --reason "two words"` into positionals and flags. */
import { UserFacingError } from './errors.js';

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | true>;
}

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|“([^”]*)”|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return tokens;
}

/**
 * `booleanFlags` take no value; every other `--flag` needs one (`--flag v` or `--flag=v`). With
 * `knownFlags`, any other flag is refused by name first (not as "needs a value").
 */
export function parseArgs(
  tokens: string[],
  booleanFlags: string[] = [],
  usage?: string,
  knownFlags?: string[],
): ParsedArgs {
  const out: ParsedArgs = { positionals: [], flags: {} };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t.startsWith('--')) {
      out.positionals.push(t);
      continue;
    }
    const eq = t.indexOf('=');
    const name = eq > 0 ? t.slice(2, eq) : t.slice(2);
    if (knownFlags && !knownFlags.includes(name) && !booleanFlags.includes(name))
      throw new UserFacingError(`Unknown option --${name}.`, usage);
    if (booleanFlags.includes(name)) {
      out.flags[name] = true;
      continue;
    }
    const value = eq > 0 ? t.slice(eq + 1) : tokens[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--')))
      throw new UserFacingError(`--${name} needs a value.`, usage);
    out.flags[name] = value;
  }
  return out;
}
