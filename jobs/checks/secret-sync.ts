/**
 * secret-sync: is every SecretSync (secret-sync.x-k8s.io/v1alpha1) synced, and is the Secret Store
 * sync controller running?
 *
 * Condition types come in two families: `Create`/`Update` (releases up to v0.0.4) and
 * `SecretCreated`/`SecretUpdated` (upstream main since Jan 2026). Reasons are an open set, so a condition is
 * judged by its status: `False` fails; `Unknown` fails when its reason names an error (upstream sets
 * `UnknownError`/`ControllerInternalError` with status Unknown) and is pending otherwise
 * (`SyncStarting`, `NoUpdatesAttemptedYet`); any reason mentioning "Partial" is a partial sync.
 * A failed condition older than a recent `lastSuccessfulSyncTime` is history, not the current state
 * (the newer controller keeps it after recovering; see secret-sync-state.ts).
 */
import { formatDuration } from '../../bot/duration.js';
import type { Finding } from './finding.js';
import { listErrorFinding } from './list-error.js';
import { controllerPoll, POLL_SLACK_MS, syncState } from './secret-sync-state.js';
import type { CheckSettings } from './settings.js';
import type { ClusterSnapshot, Condition, Deployment, SecretSync } from './snapshot.js';

const CHECK = 'secret-sync';
export const SYNC_CONTROLLER_DEPLOYMENT = 'secrets-store-sync-controller-manager';
const EXTENSION_HINT =
  'az k8s-extension show --name <sse> --cluster-type connectedClusters … (extension type microsoft.azure.secretstore)';

export function checkSecretSync(snapshot: ClusterSnapshot, now: Date, settings: CheckSettings): Finding[] {
  // Defensive: a partial settings object must not make the check throw.
  const required = settings.secretSync?.required ?? true;
  const listed = snapshot.secretSyncs;
  if (!listed) return [notCollected()];
  if (!listed.ok) {
    if (listed.error.reason === 'NotFound')
      return [notInstalled(required, 'the SecretSync CRD is not served')];
    return [listErrorFinding(CHECK, 'secret-sync.x-k8s.io SecretSyncs in all namespaces', listed.error)];
  }
  // Sorted by namespace/name, each key built once (not twice per comparison).
  const syncs = listed.items
    .filter((s) => s?.metadata?.name)
    .map((s) => ({ s, k: key(s) }))
    .sort((a, b) => a.k.localeCompare(b.k))
    .map(({ s }) => s);
  const findings = controllerFindings(snapshot, syncs.length, required);
  const recentMs = controllerPoll(snapshot, settings).pollMs + POLL_SLACK_MS;
  findings.push(...syncs.map((s) => judgeSync(s, now.getTime(), recentMs)));
  if (findings.length === 0) {
    findings.push({
      check: CHECK,
      status: 'ok',
      reason: 'SecretSynced',
      message:
        'the Secret Store sync controller is running but no SecretSync objects exist, so no secret is synced from Key Vault',
      evidence: { secretSyncs: 0 },
    });
  }
  return findings;
}

function controllerFindings(snapshot: ClusterSnapshot, syncCount: number, required: boolean): Finding[] {
  const listed = snapshot.deployments;
  if (!listed) return [];
  if (!listed.ok) {
    const what = `apps Deployments named ${SYNC_CONTROLLER_DEPLOYMENT} in all namespaces`;
    return [listErrorFinding(CHECK, what, listed.error, SYNC_CONTROLLER_DEPLOYMENT)];
  }
  const controllers = listed.items.filter((d) => d?.metadata?.name === SYNC_CONTROLLER_DEPLOYMENT);
  if (controllers.length === 0) {
    if (!required && syncCount === 0)
      return [
        notInstalled(false, `the SecretSync CRD exists but no ${SYNC_CONTROLLER_DEPLOYMENT} Deployment runs`),
      ];
    return [
      {
        check: CHECK,
        status: 'fail',
        reason: 'SyncControllerDown',
        message: `no Deployment ${SYNC_CONTROLLER_DEPLOYMENT} in any namespace, so ${syncCount} SecretSync(s) are not kept in sync; reinstall the Secret Store extension (${EXTENSION_HINT})`,
        resource: SYNC_CONTROLLER_DEPLOYMENT,
        evidence: { deployments: 0, secretSyncs: syncCount },
      },
    ];
  }
  return controllers.flatMap((d) => {
    const down = unavailable(d);
    if (!down) return [];
    const ns = d.metadata.namespace ?? 'default';
    return [
      {
        check: CHECK,
        status: 'fail',
        reason: 'SyncControllerDown',
        message: `the Secret Store sync controller ${ns}/${SYNC_CONTROLLER_DEPLOYMENT} is unavailable (${down}); secrets are not synced or rotated — kubectl -n ${ns} describe deploy ${SYNC_CONTROLLER_DEPLOYMENT}`,
        resource: `${ns}/${SYNC_CONTROLLER_DEPLOYMENT}`,
        evidence: {
          replicas: d.spec?.replicas ?? null,
          availableReplicas: d.status?.availableReplicas ?? 0,
        },
      },
    ];
  });
}

/** Why a Deployment is unavailable, or undefined when it is available. */
function unavailable(d: Deployment): string | undefined {
  const replicas = typeof d.spec?.replicas === 'number' ? d.spec.replicas : 1;
  const available = typeof d.status?.availableReplicas === 'number' ? d.status.availableReplicas : 0;
  if (replicas === 0) return 'scaled to 0 replicas';
  if (available < 1) return `0 of ${replicas} replicas available`;
  return undefined;
}

function judgeSync(ss: SecretSync, nowMs: number, recentMs: number): Finding {
  const ns = ss.metadata.namespace ?? 'default';
  const name = ss.metadata.name;
  const resource = `${ns}/${name}`;
  const describe = () => `kubectl -n ${ns} describe secretsync ${name}`;
  const state = syncState(ss, nowMs, recentMs);
  const conditions = (Array.isArray(ss.status?.conditions) ? ss.status.conditions : []).filter(
    (c): c is Condition => typeof c === 'object' && c !== null,
  );
  const lastSync =
    typeof ss.status?.lastSuccessfulSyncTime === 'string' ? ss.status.lastSuccessfulSyncTime : null;
  const lastMs = lastSync ? Date.parse(lastSync) : Number.NaN;
  const since = Number.isNaN(lastMs)
    ? 'never synced'
    : `last synced ${formatDuration(Math.max(0, nowMs - lastMs))} ago`;
  const evidence = {
    conditions:
      conditions.map((c) => `${c.type ?? '?'}=${c.status ?? '?'}/${c.reason ?? '?'}`).join(', ') || null,
    lastSuccessfulSyncTime: lastSync,
    secretProviderClass: ss.spec?.secretProviderClassName ?? null,
  };
  const base = { check: CHECK, resource, evidence } as const;

  const failed = state.failed;
  if (failed) {
    const why = failed.message ? ` — ${oneLine(failed.message)}` : '';
    return {
      ...base,
      status: 'fail',
      reason: 'SecretSyncFailed',
      message: `SecretSync ${resource} failed (${failed.type ?? 'condition'}: ${failed.reason ?? 'no reason'}${why}); the Secret keeps old or no data, ${since} — ${describe()}`,
    };
  }
  const partial = state.partial;
  if (partial) {
    return {
      ...base,
      status: 'warn',
      reason: 'SecretSyncPartial',
      message: `SecretSync ${resource} synced only part of its data (${partial.reason}${partial.message ? ` — ${oneLine(partial.message)}` : ''}); ${since} — ${describe()}`,
    };
  }
  if (state.synced) {
    const old = state.superseded[0];
    const recovered = old
      ? `; its ${old.type ?? 'condition'}=${old.status}/${old.reason ?? '?'} since ${old.lastTransitionTime} is older than that sync, which the controller keeps repeating every poll`
      : '';
    return {
      ...base,
      status: 'ok',
      reason: 'SecretSynced',
      message: `SecretSync ${resource} is synced (${since}${recovered})`,
    };
  }
  const what =
    conditions.length === 0
      ? 'has no status conditions yet: the sync controller has not processed it'
      : `is not synced yet (${evidence.conditions})`;
  return {
    ...base,
    status: 'warn',
    reason: 'SecretSyncPending',
    message: `SecretSync ${resource} ${what}; ${describe()}`,
  };
}

function notInstalled(required: boolean, why: string): Finding {
  return {
    check: CHECK,
    status: required ? 'fail' : 'ok',
    reason: 'SecretStoreNotInstalled',
    message: required
      ? `the Secret Store extension is not installed (${why}), so no secret is synced from Key Vault; install microsoft.azure.secretstore or set secretSync.required: false`
      : `the Secret Store extension is not installed (${why}); not required for this cluster`,
    evidence: { required },
  };
}

function notCollected(): Finding {
  return {
    check: CHECK,
    status: 'unknown',
    reason: 'ApiError',
    message: 'SecretSyncs were not collected for this scan — cannot verify secret sync',
  };
}

function key(s: SecretSync): string {
  return `${s.metadata.namespace ?? ''}/${s.metadata.name}`;
}

function oneLine(text: unknown): string {
  const t = String(text).replace(/\s+/g, ' ').trim();
  return t.length > 240 ? `${t.slice(0, 237)}…` : t;
}
