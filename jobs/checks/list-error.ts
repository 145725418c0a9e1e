/**
 * A list the collector could not read becomes ONE `unknown` finding — never `ok`, never a throw.
 * Callers handle `NotFound` (API not served) themselves where it means "not installed".
 */
import type { CheckName, Finding, UnknownReason } from './finding.js';
import type { CollectError } from './snapshot.js';

/**
 * @param what - what was being listed, for the message, e.g. `Velero BackupStorageLocations`.
 */
export function listErrorFinding<C extends CheckName>(
  check: C,
  what: string,
  error: CollectError,
  resource?: string,
): Finding<C> {
  const reason: UnknownReason = error.reason === 'NotFound' ? 'ApiError' : error.reason;
  const detail = error.message ? `: ${error.message}` : '';
  const finding: Finding<C> = {
    check,
    status: 'unknown',
    reason,
    message: messageFor(reason, what, error, detail),
    evidence: { listing: what, error: error.message ?? null },
  };
  if (error.missingRule) finding.evidence!.missingRule = error.missingRule;
  if (resource) finding.resource = resource;
  return finding;
}

function messageFor(reason: UnknownReason, what: string, error: CollectError, detail: string): string {
  switch (reason) {
    case 'ClusterUnreachable':
      return `cannot reach the cluster's API server to list ${what}${detail}; check the kubeconfig and network path`;
    case 'Forbidden': {
      const rule = error.missingRule ?? `list ${what}`;
      return `dpbot is not allowed to ${rule}; add that rule to dpbot's ClusterRole (deploy/) — cannot verify ${what}`;
    }
    case 'Timeout':
      return `listing ${what} timed out${detail}; the API server may be overloaded — cannot verify`;
    default:
      return `the API server returned an error listing ${what}${detail} — cannot verify`;
  }
}
