/**
 * gitops: can the cluster's configuration be rebuilt from Git by Flux, and is it in step with Git?
 *
 * One finding per GitRepository and per Kustomization (resource `GitRepository/ns/name`,
 * `Kustomization/ns/name`). Order per object: `spec.suspend` (a suspended object keeps its old,
 * possibly Ready, conditions), then the `Ready` condition, then — Kustomizations whose source is a
 * GitRepository — `status.lastAppliedRevision` against the source's `status.artifact.revision`.
 * Flux not installed (either list answers NotFound) is `GitOpsNotInstalled`: fail when
 * `gitops.required`, otherwise one `ok` line saying so, so the report still shows the control.
 * Ready=Unknown (a reconcile in progress) is a warning; Ready=False or no Ready condition fails.
 */
import type { Finding } from './finding.js';
import { listErrorFinding } from './list-error.js';
import type { CheckSettings } from './settings.js';
import type { ClusterSnapshot, Condition, GitRepository, Kustomization, Listed } from './snapshot.js';

const CHECK = 'gitops';

export function checkGitOps(snapshot: ClusterSnapshot, _now: Date, settings: CheckSettings): Finding[] {
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
  return [
    ...sortByKey(repoItems).map((r) => judgeRepository(r)),
    ...sortByKey(ksItems).map((k) => judgeKustomization(k, byKey)),
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

function judgeRepository(repo: GitRepository): Finding {
  const resource = `GitRepository/${ref(repo)}`;
  const evidence = { revision: str(repo.status?.artifact?.revision), url: str(repo.spec?.url) };
  const early = suspendedOrNotReady(repo, 'GitRepository', resource, evidence);
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

function judgeKustomization(ks: Kustomization, repos: Map<string, GitRepository>): Finding {
  const resource = `Kustomization/${ref(ks)}`;
  const source = ks.spec?.sourceRef;
  const applied = str(ks.status?.lastAppliedRevision);
  const evidence: Finding['evidence'] = { lastAppliedRevision: applied, source: null, sourceRevision: null };
  const early = suspendedOrNotReady(ks, 'Kustomization', resource, evidence);
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
  kind: string,
  resource: string,
  evidence: Finding['evidence'],
): Finding | undefined {
  const name = ref(obj);
  const base = { check: CHECK, resource, evidence } as const;
  if (obj.spec?.suspend === true) {
    return {
      ...base,
      status: 'warn',
      reason: 'GitOpsSuspended',
      message: `${kind} ${name} is suspended: Flux does not reconcile it, so Git changes are not applied (flux resume ${kind === 'GitRepository' ? 'source git' : 'kustomization'} ${obj.metadata.name} -n ${obj.metadata.namespace ?? 'flux-system'})`,
    };
  }
  const conditions = Array.isArray(obj.status?.conditions) ? obj.status.conditions : [];
  const ready = conditions.find((c: Condition) => c?.type === 'Ready');
  if (ready?.status === 'True') return undefined;
  const why = ready ? `${ready.reason ? `${ready.reason}: ` : ''}${oneLine(ready.message ?? '')}`.trim() : '';
  if (ready?.status === 'Unknown') {
    return {
      ...base,
      // DESIGN §6: GitOpsNotReady is fail; alerts open only after openAfter such scans.
      status: 'fail',
      reason: 'GitOpsNotReady',
      message: `${kind} ${name} is not Ready yet (Ready=Unknown${why ? `, ${why}` : ''}): a reconcile is in progress or stuck`,
    };
  }
  return {
    ...base,
    status: 'fail',
    reason: 'GitOpsNotReady',
    message: ready
      ? `${kind} ${name} is not Ready${why ? `: ${why}` : ''} (flux get ${kind === 'GitRepository' ? 'sources git' : 'kustomizations'} -n ${obj.metadata.namespace ?? 'flux-system'})`
      : `${kind} ${name} has no Ready condition: Flux has never reconciled it — are the Flux controllers running? (kubectl -n flux-system get pods)`,
  };
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
