/**
 * A raw API server path (`/metrics`, `/readyz?verbose`) that could not be read, or was not collected,
 * becomes ONE `unknown` finding that says what to fix — never `ok`, never a throw.
 */
import type { CheckName, Finding, UnknownReason } from './finding.js';
import type { CollectError, Fetched } from './snapshot.js';

/** The ClusterRole rule dpbot needs for a non-resource path, as written in YAML. */
export function nonResourceRule(path: string): string {
  return `nonResourceURLs: ["${path.split('?')[0]}"], verbs: ["get"]`;
}

/**
 * @param path - e.g. `/metrics`
 * @param why - what the path was needed for, e.g. `whether Secrets are encrypted with KMS`
 */
export function fetchErrorFinding<C extends CheckName>(
  check: C,
  path: string,
  fetched: Fetched<string> | undefined,
  why: string,
  context = '',
): Finding<C> {
  const error: CollectError =
    fetched === undefined
      ? { reason: 'ApiError', message: `${path} was not collected by this dpbot version` }
      : fetched.ok
        ? { reason: 'ApiError', message: 'no error' }
        : fetched.error;
  const reason: UnknownReason = error.reason === 'NotFound' ? 'ApiError' : error.reason;
  const bare = path.split('?')[0];
  const prefix = context ? `${context}; ` : '';
  let message: string;
  switch (reason) {
    case 'Forbidden':
      message = `${prefix}dpbot may not read ${bare}: add the rule \`${nonResourceRule(path)}\` to dpbot's ClusterRole — cannot verify ${why}`;
      break;
    case 'ClusterUnreachable':
      message = `${prefix}cannot reach the API server to read ${bare} (${error.message}) — cannot verify ${why}`;
      break;
    case 'Timeout':
      message = `${prefix}reading ${bare} timed out — cannot verify ${why}`;
      break;
    default:
      message = `${prefix}could not read ${bare}: ${error.message} — cannot verify ${why}`;
  }
  return {
    check,
    status: 'unknown',
    reason,
    message,
    evidence: {
      path: bare,
      error: error.message ?? null,
      ...(reason === 'Forbidden' ? { missingRule: nonResourceRule(path) } : {}),
    },
  };
}

/**
 * `/metrics` answered, but not with the API server's metrics (a proxy's HTML page, an empty body):
 * reading it as "no series" would claim things the cluster never said.
 */
export function unreadableMetricsFinding<C extends CheckName>(
  check: C,
  text: string,
  why: string,
): Finding<C> | undefined {
  if (/^apiserver_[a-z_]+[{ ]/m.test(text)) return undefined;
  return {
    check,
    status: 'unknown',
    reason: 'ApiError',
    message: `/metrics did not answer with the API server's Prometheus metrics (${text.trim() ? `starts with "${text.trim().slice(0, 40)}"` : 'empty body'}) — cannot verify ${why}`,
    evidence: { path: '/metrics', bytes: text.length },
  };
}
