/**
 * Are the Flux controllers that keep GitRepository/Kustomization status current running? A dead
 * controller writes nothing more, so the last `Ready=True` stays forever: without this, gitops would
 * report a cluster that no longer follows Git as in step with it. The Arc `microsoft.flux` extension
 * (and `flux install`) run them as Deployments `source-controller` and `kustomize-controller` in
 * `flux-system`.
 */
import type { Finding } from './finding.js';
import { listErrorFinding } from './list-error.js';
import type { ClusterSnapshot, Deployment } from './snapshot.js';

export const FLUX_NAMESPACE = 'flux-system';
export const CONTROLLER_OF = {
  GitRepository: 'source-controller',
  Kustomization: 'kustomize-controller',
} as const;
export type FluxKind = keyof typeof CONTROLLER_OF;

export interface FluxControllers {
  /** Findings about the controllers themselves (down, or their Deployments unreadable). */
  findings: Finding[];
  /** Kinds whose controller is down: their objects' Ready=True is not current. */
  down: Set<FluxKind>;
}

/** `counts`: how many objects of each kind exist (a controller nobody needs is not judged). */
export function fluxControllers(
  snapshot: ClusterSnapshot,
  counts: Record<FluxKind, number>,
): FluxControllers {
  const result: FluxControllers = { findings: [], down: new Set() };
  const listed = snapshot.fluxDeployments;
  if (!listed) return result;
  if (!listed.ok) {
    const f = listErrorFinding('gitops', `apps Deployments in namespace ${FLUX_NAMESPACE}`, listed.error);
    result.findings.push({
      ...f,
      message: `${f.message} (the Flux controllers' health: without it a Ready status may be stale)`,
    });
    return result;
  }
  for (const kind of Object.keys(CONTROLLER_OF) as FluxKind[]) {
    const name = CONTROLLER_OF[kind];
    if (counts[kind] === 0) continue;
    const d = listed.items.find((x) => x?.metadata?.name === name);
    const why = d ? unavailable(d) : `there is no Deployment ${name} in ${FLUX_NAMESPACE}`;
    if (!why) continue;
    result.down.add(kind);
    result.findings.push({
      check: 'gitops',
      status: 'fail',
      reason: 'GitOpsNotReady',
      resource: `Deployment/${FLUX_NAMESPACE}/${name}`,
      evidence: {
        controller: name,
        replicas: d?.spec?.replicas ?? null,
        availableReplicas: d?.status?.availableReplicas ?? null,
        objects: counts[kind],
      },
      message: `Flux ${name} is down (${why}): nothing reconciles the ${counts[kind]} ${kind}${counts[kind] === 1 ? '' : 's'}, whose Ready status is from before and no longer current — kubectl -n ${FLUX_NAMESPACE} describe deploy ${name}; az k8s-extension show --name flux …`,
    });
  }
  return result;
}

function unavailable(d: Deployment): string | undefined {
  const replicas = typeof d.spec?.replicas === 'number' ? d.spec.replicas : 1;
  const available = typeof d.status?.availableReplicas === 'number' ? d.status.availableReplicas : 0;
  if (replicas === 0) return 'scaled to 0 replicas';
  if (available < 1) return `0 of ${replicas} replicas available`;
  return undefined;
}
