/**
 * gitops: can the cluster's configuration be rebuilt from Git by Flux, and is it in step with Git?
 *
 * One finding per GitRepository and per Kustomization (resource `GitRepository/ns/name`,
 * `Kustomization/ns/name`). Order per object: `spec.suspend` (a suspended object keeps its old,
 * possibly Ready, conditions), then the `Ready` condition, then — Kustomizations whose source is a
 * GitRepository — `status.lastAppliedRevision` against the source's `status.artifact.revision`.
 * Flux not installed (either list answers NotFound) is `GitOpsNotInstalled`: fail when
 * `gitops.required`, otherwise one `ok` line saying so, so the report still shows the control.
 * Flux marks Ready=Unknown/Progressing at the start of every reconcile and ends it within
 * `spec.timeout` (Kustomization: defaults to `spec.interval`; GitRepository: 60s, the CRD default), so
 * Ready=Unknown is a reconcile in progress — `GitOpsBehind` (warn, never alerts: the cluster may lag Git
 * until it ends) — until it has lasted longer than the timeout (+ 2m slack), then `GitOpsNotReady`.
 * `Stalled=True`, Ready=False or no Ready condition fail. Ready=True counts only when it describes the
 * current spec (`status.observedGeneration` = `metadata.generation`; else `GitOpsBehind`) and the
 * controller that writes it is running (flux-controllers.ts).
 */
import { formatDuration, parseDuration } from '../../bot/duration.js';
import type { Finding } from './finding.js';
import { type CONTROLLER_OF, fluxControllers } from './flux-controllers.js';
import { listErrorFinding } from './list-error.js';
import type { CheckSettings } from './settings.js';
import type { ClusterSnapshot, Condition, GitRepository, Kustomization, Listed } from './snapshot.js';

const CHECK = 'gitops';

const SLACK_MS = 2 * 60_000;
const GIT_TIMEOUT_MS = 60_000;

export function checkGitOps(snapshot: ClusterSnapshot, now: Date, settings: CheckSettings): Finding[] {
  const repos = snapshot.gitRepositories;
  const kss = snapshot.kustomizations;
  if (!repos || !kss) {
    return [
      {
        check: CHECK,
        status: 'unknown',
        reason: 'ApiError',
        message: 'Flux objects were not collected by this dpbot version — cannot verify GitOps',
      },
    ];
  }
  const missing = [
    notServed(repos, 'source.toolkit.fluxcd.io/v1 GitRepository'),
    notServed(kss, 'kustomize.toolkit.fluxcd.io/v1 Kustomization'),
  ].filter(Boolean);
  if (missing.length > 0)
    return [notInstalled(settings, `Flux is not installed (${missing.join(' and ')} not served)`)];
  const errors: Finding[] = [];
  if (!repos.ok) errors.push(listErrorFinding(CHECK, 'Flux GitRepositories in all namespaces', repos.error));
  if (!kss.ok) errors.push(listErrorFinding(CHECK, 'Flux Kustomizations in all namespaces', kss.error));
  if (!repos.ok || !kss.ok) return errors;

  const repoItems = repos.items.filter((r) => r?.metadata?.name);
  const ksItems = kss.items.filter((k) => k?.metadata?.name);
  if (ksItems.length === 0) {
    return [
      notInstalled(
        settings,
        `Flux is installed but no Kustomization applies anything from Git (${repoItems.length} GitRepositories)`,
      ),
    ];
  }
  const byKey = new Map(repoItems.map((r) => [`${r.metadata.namespace ?? ''}/${r.metadata.name}`, r]));
  const nowMs = now.getTime();
  const controllers = fluxControllers(snapshot, {
    GitRepository: repoItems.length,
    Kustomization: ksItems.length,
  });
  // A down controller's objects keep their last Ready=True: those lines are folded into its finding.
  const current = (kind: keyof typeof CONTROLLER_OF) => (f: Finding) =>
    !(controllers.down.has(kind) && f.status === 'ok');
  return [
    ...controllers.findings,
    ...sortByKey(repoItems)
      .map((r) => judgeRepository(r, nowMs))
      .filter(current('GitRepository')),
    ...sortByKey(ksItems)
      .map((k) => judgeKustomization(k, byKey, nowMs))
      .filter(current('Kustomization')),
  ];
}

function notServed<T>(listed: Listed<T>, what: string): string | undefined {
  return !listed.ok && listed.error.reason === 'NotFound' ? what : undefined;
}

function notInstalled(settings: CheckSettings, why: string): Finding {
  return settings.gitops.required
    ? {
        check: CHECK,
        status: 'fail',
        reason: 'GitOpsNotInstalled',
        message: `${why}: the cluster's configuration cannot be restored from Git — install the Flux extension (microsoft.flux) and a Flux configuration`,
      }
    : {
        check: CHECK,
        status: 'ok',
        reason: 'GitOpsNotInstalled',
        message: `${why}; GitOps is not required for this cluster (gitops.required: false)`,
      };
}

function judgeRepository(repo: GitRepository, nowMs: number): Finding {
  const resource = `GitRepository/${ref(repo)}`;
  const evidence = { revision: str(repo.status?.artifact?.revision), url: str(repo.spec?.url) };
  const early = suspendedOrNotReady(repo, 'GitRepository', resource, evidence, nowMs);
  if (early) return early;
  return {
    check: CHECK,
    status: 'ok',
    reason: 'GitOpsReady',
    resource,
    evidence,
    message: `GitRepository ${ref(repo)} is Ready${evidence.revision ? ` at ${evidence.revision}` : ''}`,
  };
}

function judgeKustomization(ks: Kustomization, repos: Map<string, GitRepository>, nowMs: number): Finding {
  const resource = `Kustomization/${ref(ks)}`;
  const source = ks.spec?.sourceRef;
  const applied = str(ks.status?.lastAppliedRevision);
  const evidence: Finding['evidence'] = { lastAppliedRevision: applied, source: null, sourceRevision: null };
  const early = suspendedOrNotReady(ks, 'Kustomization', resource, evidence, nowMs);
  if (early) return early;
  const base = { check: CHECK, resource, evidence } as const;
  if (source?.kind === 'GitRepository' && source.name) {
    const key = `${source.namespace ?? ks.metadata.namespace ?? ''}/${source.name}`;
    const repo = repos.get(key);
    const wanted = str(repo?.status?.artifact?.revision);
    Object.assign(evidence, { source: `GitRepository/${key}`, sourceRevision: wanted });
    if (wanted && applied && wanted !== applied) {
      return {
        ...base,
        status: 'warn',
        reason: 'GitOpsBehind',
        message: `Kustomization ${ref(ks)} applied ${applied} but its source GitRepository ${key} is at ${wanted}: the cluster lags Git (flux reconcile kustomization ${ks.metadata.name} -n ${ks.metadata.namespace ?? 'flux-system'})`,
      };
    }
  }
  return {
    ...base,
    status: 'ok',
    reason: 'GitOpsReady',
    message: `Kustomization ${ref(ks)} is Ready${applied ? `, applied ${applied}` : ''}`,
  };
}

function suspendedOrNotReady(
  obj: GitRepository | Kustomization,
  kind: 'GitRepository' | 'Kustomization',
  resource: string,
  evidence: Finding['evidence'],
  nowMs: number,
): Finding | undefined {
  const name = ref(obj);
  const base = { check: CHECK, resource, evidence } as const;
  const ns = obj.metadata.namespace ?? 'flux-system';
  const get = `flux get ${kind === 'GitRepository' ? 'sources git' : 'kustomizations'} -n ${ns}`;
  if (obj.spec?.suspend === true) {
    return {
      ...base,
      status: 'warn',
      reason: 'GitOpsSuspended',
      message: `${kind} ${name} is suspended: Flux does not reconcile it, so Git changes are not applied (flux resume ${kind === 'GitRepository' ? 'source git' : 'kustomization'} ${obj.metadata.name} -n ${ns})`,
    };
  }
  const conditions = (Array.isArray(obj.status?.conditions) ? obj.status.conditions : []).filter(
    (c): c is Condition => typeof c === 'object' && c !== null,
  );
  const stalled = conditions.find((c) => c.type === 'Stalled' && c.status === 'True');
  if (stalled) {
    return {
      ...base,
      status: 'fail',
      reason: 'GitOpsNotReady',
      message: `${kind} ${name} is stalled (${describe(stalled)}): Flux will not retry until its spec changes (${get})`,
    };
  }
  const ready = conditions.find((c) => c.type === 'Ready');
  const why = ready ? describe(ready) : '';
  if (ready?.status === 'True') return staleGeneration(obj, kind, name, base);
  if (ready?.status === 'Unknown') {
    const timeoutMs = reconcileTimeout(obj, kind);
    const sinceMs = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : Number.NaN;
    const forMs = nowMs - sinceMs;
    Object.assign(evidence ?? {}, { readySince: ready.lastTransitionTime ?? null, timeoutMs });
    if (Number.isNaN(sinceMs) || forMs <= timeoutMs + SLACK_MS) {
      const elapsed = Number.isNaN(sinceMs)
        ? 'for an unknown time'
        : `for ${formatDuration(Math.max(0, forMs))}`;
      return {
        ...base,
        status: 'warn',
        reason: 'GitOpsBehind',
        message: `${kind} ${name} is reconciling (Ready=Unknown${why ? `, ${why}` : ''}) ${elapsed} of its ${formatDuration(timeoutMs)} timeout: the cluster may lag Git until it finishes`,
      };
    }
    return {
      ...base,
      status: 'fail',
      reason: 'GitOpsNotReady',
      message: `${kind} ${name} has been reconciling (Ready=Unknown${why ? `, ${why}` : ''}) for ${formatDuration(forMs)}, longer than its ${formatDuration(timeoutMs)} timeout: the reconcile is stuck or its controller died (${get}; kubectl -n flux-system get pods)`,
    };
  }
  return {
    ...base,
    status: 'fail',
    reason: 'GitOpsNotReady',
    message: ready
      ? `${kind} ${name} is not Ready${why ? `: ${why}` : ''} (${get})`
      : `${kind} ${name} has no Ready condition: Flux has never reconciled it — are the Flux controllers running? (kubectl -n flux-system get pods)`,
  };
}

/** Ready=True written for an older spec: Flux has not reconciled the current generation yet. */
function staleGeneration(
  obj: GitRepository | Kustomization,
  kind: string,
  name: string,
  base: Pick<Finding<typeof CHECK>, 'check' | 'resource' | 'evidence'>,
): Finding<typeof CHECK> | undefined {
  const generation = obj.metadata.generation;
  const observed = obj.status?.observedGeneration;
  if (typeof generation !== 'number' || observed === generation) return undefined;
  Object.assign(base.evidence ?? {}, { generation, observedGeneration: observed ?? null });
  return {
    ...base,
    status: 'warn',
    reason: 'GitOpsBehind',
    message: `${kind} ${name} says Ready for generation ${observed ?? '(none)'} but its spec is at generation ${generation}: Flux has not reconciled the current spec yet (flux reconcile ${kind === 'GitRepository' ? 'source git' : 'kustomization'} ${obj.metadata.name} -n ${obj.metadata.namespace ?? 'flux-system'})`,
  };
}

/** As Flux's GetTimeout: `spec.timeout`, else the Kustomization's interval / the Git default 60s. */
function reconcileTimeout(obj: GitRepository | Kustomization, kind: string): number {
  const parse = (v: unknown) => (typeof v === 'string' ? parseDuration(v) : undefined);
  const fallback = kind === 'Kustomization' ? (parse(obj.spec?.interval) ?? 10 * 60_000) : GIT_TIMEOUT_MS;
  return parse(obj.spec?.timeout) ?? fallback;
}

function describe(c: Condition): string {
  return `${c.reason ? `${c.reason}: ` : ''}${oneLine(c.message ?? '')}`.trim().replace(/:$/, '');
}

function ref(obj: { metadata: { name: string; namespace?: string } }): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`.replace(/^\//, '');
}

function sortByKey<T extends { metadata: { name: string; namespace?: string } }>(items: T[]): T[] {
  return [...items].sort((a, b) => ref(a).localeCompare(ref(b)));
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}
