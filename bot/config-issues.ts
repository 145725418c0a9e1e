/** Zod's issues as config problems: the field path and how to fix it (DESIGN §3, STYLE 7). */
import type { z } from 'zod';

const KIND: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list, e.g. [a, b]',
  object: 'a mapping of keys, e.g. { key: value }',
  record: 'a mapping of keys, e.g. { key: value }',
};

function kindOf(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  return `${typeof input === 'string' ? 'text' : typeof input} ${JSON.stringify(input)}`;
}

/**
 * Zod's default texts ("Invalid input: expected string, received number") say what is wrong, not what
 * to write instead; messages given in the schema (durations, names, identities) win over these.
 */
export function configErrorMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `is required: add it (${KIND[issue.expected] ?? issue.expected})`
        : `must be ${KIND[issue.expected] ?? issue.expected}, not ${kindOf(issue.input)}`;
    case 'too_small':
      return issue.origin === 'number'
        ? `must be at least ${issue.minimum}, not ${kindOf(issue.input)}`
        : 'must not be empty';
    case 'too_big':
      return `must be at most ${issue.maximum}, not ${kindOf(issue.input)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => String(v)).join(', ')}, not ${kindOf(issue.input)}`;
    default:
      return undefined;
  }
}

export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
      .join('');
    let fix = issue.message;
    if (issue.code === 'unrecognized_keys')
      fix = `unknown key(s) ${issue.keys.join(', ')}: remove or correct them (see DESIGN §3)`;
    return `${path || '(top level)'}: ${fix}`;
  });
}
