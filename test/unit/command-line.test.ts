/** The command-line grammar (DESIGN §2): quoting, flags, and a clear error for each kind of bad input. */
import { parseArgs, tokenize } from '../../bot/command-line.js';
import { UserFacingError } from '../../bot/errors.js';

const usage = '/dp restore <cluster> --backup NAME [--reason "…"]';
const parse = (text: string, booleans: string[] = ['refresh']) =>
  parseArgs(tokenize(text), booleans, usage, ['backup', 'reason', 'limit', 'refresh']);

function refusal(text: string): UserFacingError {
  try {
    parse(text);
  } catch (err) {
    if (err instanceof UserFacingError) return err;
    throw err;
  }
  throw new Error(`"${text}" was accepted`);
}

describe('tokenize and parseArgs', () => {
  it.each([
    ['x --reason "two words"', { positionals: ['x'], flags: { reason: 'two words' } }],
    ["x --reason 'two words'", { positionals: ['x'], flags: { reason: 'two words' } }],
    ['x --reason “two words”', { positionals: ['x'], flags: { reason: 'two words' } }],
    ['x --reason ‘two words’', { positionals: ['x'], flags: { reason: 'two words' } }],
    ['x --reason="two words"', { positionals: ['x'], flags: { reason: 'two words' } }],
    ['x --reason=“two words” --limit=3', { positionals: ['x'], flags: { reason: 'two words', limit: '3' } }],
    ['x --reason "--force was needed"', { positionals: ['x'], flags: { reason: '--force was needed' } }],
    ["x --reason don't", { positionals: ['x'], flags: { reason: "don't" } }],
    // Smart punctuation turns "--" into a dash; the flag is still meant.
    ['x —backup b1 –reason ok', { positionals: ['x'], flags: { backup: 'b1', reason: 'ok' } }],
    ['x "--backup"', { positionals: ['x', '--backup'], flags: {} }],
    ['x --refresh', { positionals: ['x'], flags: { refresh: true } }],
    ['x --limit -1', { positionals: ['x'], flags: { limit: '-1' } }],
  ])('%s', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it.each([
    ['x --reason "two words', /A quote \(".*never closed/],
    ['x --reason="two words', /A quote \(".*never closed/],
    ['x --bogus 1', /Unknown option --bogus\./],
    ['x -backup b1', /Unknown option -backup: options start with two hyphens\./],
    ['x --backup', /--backup needs a value\./],
    ['x --backup --reason y', /--backup needs a value\./],
    ['x --backup —reason', /--backup needs a value\./],
    ['x --backup a --backup b', /--backup is given twice\./],
    ['x --refresh=yes', /--refresh takes no value\./],
  ])('%s is refused, with the usage', (text, said) => {
    const err = refusal(text);
    expect(err.message).toMatch(said);
    expect(err.usage).toBe(usage);
  });
});
