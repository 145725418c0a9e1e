/** Typed failures of Kubernetes API calls and their mapping to a snapshot's CollectError (DESIGN §6). */

import { DpbotError } from '../../bot/errors.js';
import type { CollectError } from '../../jobs/checks/snapshot.js';

export type KubeFailure = 'Unreachable' | 'Timeout' | 'Http';

/** Thrown by KubeClient. `statusCode` is set for HTTP errors (e.g. 409 on create). */
export class KubeApiError extends DpbotError {
  constructor(
    readonly failure: KubeFailure,
    message: string,
    /** What was requested, e.g. `GET /apis/velero.io/v1/namespaces/velero/backups`. */
    readonly request: string,
    readonly statusCode?: number,
    /** `reason` of the Kubernetes Status body, e.g. `AlreadyExists`. */
    readonly statusReason?: string,
    options?: { cause?: unknown },
  ) {
    super(failure === 'Http' ? `KubeHttp${statusCode}` : `Kube${failure}`, message, options);
  }
}

/** The RBAC rule a request needs, e.g. `list velero.io backups in namespace velero`. */
export interface RuleDescription {
  verb: string;
  /** `velero.io backups in namespace velero`, `core namespaces`, `nonResourceURL /metrics`. */
  target: string;
}

export function describeRule(rule: RuleDescription): string {
  return `${rule.verb} ${rule.target}`;
}

/** Maps a failed call to the reason a check shows; `rule` names what RBAC must allow. */
export function toCollectError(err: unknown, rule: RuleDescription): CollectError {
  if (!(err instanceof KubeApiError)) {
    return {
      reason: 'ApiError',
      message: `while ${describeRule(rule)}: ${(err as Error)?.message ?? String(err)}`,
    };
  }
  if (err.failure === 'Unreachable') return { reason: 'ClusterUnreachable', message: err.message };
  if (err.failure === 'Timeout') return { reason: 'Timeout', message: err.message };
  const missingRule = describeRule(rule);
  if (err.statusCode === 401)
    return {
      reason: 'Forbidden',
      message: `credentials rejected (401) while trying to ${missingRule}`,
      missingRule,
    };
  if (err.statusCode === 403)
    return { reason: 'Forbidden', message: `RBAC does not allow: ${missingRule}`, missingRule };
  if (err.statusCode === 404 && rule.verb === 'list')
    return { reason: 'NotFound', message: `API not served (CRD not installed?): ${rule.target}` };
  return {
    reason: 'ApiError',
    message: `HTTP ${err.statusCode} while trying to ${missingRule}: ${err.message}`,
  };
}
