/** Input validation before any API call (DESIGN §2). */
import { DNS1123_LABEL } from './config-schema.js';
import { UserFacingError } from './errors.js';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function requireLabel(value: string, what: string, usage?: string): string {
  if (value.length > 63 || !DNS1123_LABEL.test(value))
    throw new UserFacingError(
      `"${value.slice(0, 80)}" is not a valid ${what}: use lower-case letters, digits and "-" (DNS-1123 label, at most 63 characters).`,
      usage,
    );
  return value;
}

export function requireSubdomain(value: string, what: string, usage?: string): string {
  if (value.length > 253 || !DNS1123_SUBDOMAIN.test(value))
    throw new UserFacingError(
      `"${value.slice(0, 80)}" is not a valid ${what}: use lower-case letters, digits, "-" and "." (DNS-1123 name).`,
      usage,
    );
  return value;
}

export function requirePositiveInt(value: string, what: string, max: number, usage?: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new UserFacingError(`${what} must be a whole number from 1 to ${max}, not "${value}".`, usage);
  return n;
}

export function requireList(value: string, what: string, usage?: string): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UserFacingError(`${what} needs at least one name.`, usage);
  // `--namespaces` → "namespace": the word a user knows, not the flag's spelling.
  return items.map((s) => requireLabel(s, what.replace(/^--/, '').replace(/s$/, ''), usage));
}
