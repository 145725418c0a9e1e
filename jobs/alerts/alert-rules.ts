/**
 * Which findings alert. Quiet by default: a cluster that is all ok sends nothing, ever.
 * - `fail` always alerts;
 * - `warn` alerts only for lapses that get worse on their own if nobody acts: a Key Vault secret
 *   near expiry and a stuck backup (it blocks its schedule). Other warnings stay in `/dp status`;
 * - `unknown` alerts ("cannot verify protection") once a check has been unknown for 30 minutes.
 */
import type { Finding } from '../checks/finding.js';
import type { AnyReasonCode } from '../checks/reason-codes.js';
import type { Posture } from '../posture.js';

export const ALERTING_WARN_REASONS: ReadonlySet<AnyReasonCode> = new Set([
  'SecretNearExpiry',
  'BackupStuck',
] as const satisfies readonly AnyReasonCode[]);
export const UNKNOWN_ALERT_AFTER_MS = 30 * 60_000;
/** Pseudo check of the single alert raised when the whole cluster is unreachable. */
export const WHOLE_CLUSTER = 'cluster';
/** Checks whose data does not come from the cluster's API server (DESIGN §12). */
export const OFF_CLUSTER_CHECKS: ReadonlySet<string> = new Set(['arc-connectivity']);

export interface Observation {
  key: string;
  check: string;
  kind: 'finding' | 'unknown';
  finding: Finding;
}

export interface Observed {
  /** Failing keys seen in this scan. */
  failing: Map<string, Observation>;
  /**
   * Whether a check (on a resource) could not be verified in this scan: its earlier alerts are then
   * neither counted up nor resolved — unknown is never ok.
   */
  unverifiable(check: string, resource?: string): boolean;
}

export function isAlerting(f: Finding): boolean {
  return f.status === 'fail' || (f.status === 'warn' && ALERTING_WARN_REASONS.has(f.reason));
}

export function alertKey(cluster: string, check: string, resource?: string): string {
  return resource ? `${cluster}/${check}/${resource}` : `${cluster}/${check}`;
}

export function observe(posture: Posture): Observed {
  const failing = new Map<string, Observation>();
  const unknown = posture.findings.filter((f) => f.status === 'unknown');
  const scopes = new Set(unknown.map((f) => (f.resource ? `${f.check}/${f.resource}` : f.check)));
  // Arc findings come from Azure, not the API server: an unreachable cluster still has them.
  const onCluster = posture.findings.filter((f) => !OFF_CLUSTER_CHECKS.has(f.check));
  const unreachable = onCluster.length > 0 && onCluster.every((f) => f.reason === 'ClusterUnreachable');
  if (unreachable) {
    // One "cannot verify" alert for the cluster, not one per check.
    const key = alertKey(posture.cluster, WHOLE_CLUSTER, 'unknown');
    failing.set(key, { key, check: WHOLE_CLUSTER, kind: 'unknown', finding: onCluster[0] });
    for (const f of posture.findings.filter((x) => OFF_CLUSTER_CHECKS.has(x.check) && isAlerting(x))) {
      const k = alertKey(posture.cluster, f.check, f.resource);
      if (!failing.has(k)) failing.set(k, { key: k, check: f.check, kind: 'finding', finding: f });
    }
    return { failing, unverifiable: (check) => !OFF_CLUSTER_CHECKS.has(check) || scopes.has(check) };
  }
  for (const f of unknown) {
    const key = alertKey(posture.cluster, f.check, 'unknown');
    if (!failing.has(key)) failing.set(key, { key, check: f.check, kind: 'unknown', finding: f });
  }
  for (const f of posture.findings.filter(isAlerting)) {
    const key = alertKey(posture.cluster, f.check, f.resource);
    const seen = failing.get(key);
    // Two findings on one resource: the alert shows the worse one.
    if (!seen || (seen.finding.status !== 'fail' && f.status === 'fail'))
      failing.set(key, { key, check: f.check, kind: 'finding', finding: f });
  }
  // A check with an unknown finding on some resource was read only in part, and that resource need
  // not be the alert's own (vault `keyvault/kv1` holds `keyvault/kv1/db-password`; the unread
  // `ingresses` hold `ingress/pos/shop`): its alerts resolve only where this scan saw their resource.
  const partlyRead = new Set<string>(unknown.map((f) => f.check));
  const readKey = (check: string, resource?: string) => `${check}\u0000${resource ?? ''}`;
  const seenRead = new Set(
    posture.findings.filter((f) => f.status !== 'unknown').map((f) => readKey(f.check, f.resource)),
  );
  return {
    failing,
    unverifiable: (check, resource) =>
      scopes.has(check) || (partlyRead.has(check) && !seenRead.has(readKey(check, resource))),
  };
}
