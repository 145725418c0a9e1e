/**
 * The exact Restore a drill creates (DESIGN §10) and its scratch namespace names. Pure: no I/O.
 *
 * Exclusions: Velero's `excludedResources` works on resource types only; it cannot pick Services by
 * `spec.type`. A resource modifier could rewrite LoadBalancer/NodePort Services to ClusterIP, but that
 * needs a ConfigMap written into the Velero namespace and still leaves node ports and
 * `loadBalancerIP`/`externalTrafficPolicy` fields that a ClusterIP Service rejects. A drill proves that
 * data and workloads come back (PVCs Bound, replicas available, Pods Ready), none of which needs a
 * Service, so every Service is excluded: nothing restored can take an external IP or a node port.
 */
import { createHash } from 'node:crypto';
import { PROPOSAL_LABEL, type VeleroAction } from '../approvals/proposal.js';

/** On every scratch namespace and on the Restore; dpbot deletes only namespaces carrying its own id. */
export const DRILL_LABEL = 'dpbot.io/drill';
export const SCRATCH_PREFIX = 'dp-drill-';

/** Resources a drill never restores: reachable from outside, or able to act on the outside world. */
export const DRILL_EXCLUDED_RESOURCES = [
  'services',
  'ingresses.networking.k8s.io',
  'cronjobs.batch',
  'jobs.batch',
];

/**
 * `dp-drill-<id>-<ns>`, at most 63 characters (a DNS-1123 label). A long namespace is cut and given a
 * short hash of its full name, so two long names never share a scratch namespace.
 */
export function scratchNamespace(id: string, ns: string): string {
  const name = `${SCRATCH_PREFIX}${id}-${ns}`;
  if (name.length <= 63) return name;
  const digest = createHash('sha256').update(ns).digest('hex').slice(0, 6);
  const room = 63 - SCRATCH_PREFIX.length - id.length - 1 - digest.length - 1;
  return `${SCRATCH_PREFIX}${id}-${ns.slice(0, room).replace(/-+$/, '')}-${digest}`;
}

/** True for a name this drill's plan could have produced (a cheap guard before any write). */
export function isScratchOf(id: string, ns: string): boolean {
  return ns.startsWith(`${SCRATCH_PREFIX}${id}-`);
}

export function drillRestoreName(id: string): string {
  return `${SCRATCH_PREFIX}${id}`;
}

export function drillRestoreAction(opts: {
  id: string;
  veleroNamespace: string;
  backup: string;
  namespaces: string[];
}): { action: VeleroAction; mapping: Record<string, string> } {
  const mapping = Object.fromEntries(opts.namespaces.map((ns) => [ns, scratchNamespace(opts.id, ns)]));
  const name = drillRestoreName(opts.id);
  const action: VeleroAction = {
    kind: 'Restore',
    plural: 'restores',
    namespace: opts.veleroNamespace,
    name,
    object: {
      apiVersion: 'velero.io/v1',
      kind: 'Restore',
      metadata: {
        name,
        namespace: opts.veleroNamespace,
        labels: { [PROPOSAL_LABEL]: opts.id, [DRILL_LABEL]: opts.id },
      },
      spec: {
        backupName: opts.backup,
        // Always named: with specific namespaces and includeClusterResources unset, Velero restores no
        // cluster-scoped objects except those a namespaced item pulls in (a PVC's PV).
        includedNamespaces: [...opts.namespaces],
        namespaceMapping: mapping,
        restorePVs: true,
        existingResourcePolicy: 'none',
        excludedResources: [...DRILL_EXCLUDED_RESOURCES],
      },
    },
  };
  return { action, mapping };
}

/** The labels of a scratch namespace. */
export function scratchLabels(id: string): Record<string, string> {
  return { [DRILL_LABEL]: id, [PROPOSAL_LABEL]: id };
}
