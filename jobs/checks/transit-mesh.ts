/**
 * What a service mesh proves about one Pod's traffic. Only a running proxy is evidence: an
 * injection annotation on its own proves nothing (Pods created before it have no proxy).
 * - Linkerd: a `linkerd-proxy` container (or native-sidecar init container); meshed Pods talk mTLS.
 * - Istio: an `istio-proxy` container, or ambient capture (`ambient.istio.io/redirection: enabled`,
 *   set by istio-cni once ztunnel redirects the Pod). Its inbound mTLS mode is resolved as Istio does:
 *   the oldest matching workload policy (selector) in the Pod's namespace, else the oldest
 *   namespace-wide policy, else the oldest mesh-wide policy in the root namespace, else PERMISSIVE;
 *   `UNSET` inherits. Policies with a selector in the root namespace are ignored (istio/api#3604).
 *   Strict reading: a port-level PERMISSIVE/DISABLE in the workload policy makes the Pod permissive.
 */
import type { MtlsMode, PeerAuthentication, PodSummary } from './transit-objects.js';

export const ISTIO_ROOT_NAMESPACE = 'istio-system';

export type PodVerdict =
  | { kind: 'encrypted'; how: string }
  | { kind: 'permissive'; how: string }
  | { kind: 'plaintext' }
  /** An Istio Pod whose PeerAuthentications could not be read. */
  | { kind: 'undecided' };

export function isLinkerdMeshed(pod: PodSummary): boolean {
  return pod.containers.includes('linkerd-proxy');
}

export function isIstioMeshed(pod: PodSummary): boolean {
  return (
    pod.containers.includes('istio-proxy') ||
    pod.meshAnnotations?.['ambient.istio.io/redirection'] === 'enabled'
  );
}

/** `policies` undefined: the PeerAuthentications could not be read. */
export function judgePod(pod: PodSummary, policies: readonly PeerAuthentication[] | undefined): PodVerdict {
  if (isLinkerdMeshed(pod)) return { kind: 'encrypted', how: 'Linkerd proxy (automatic mTLS)' };
  if (!isIstioMeshed(pod)) return { kind: 'plaintext' };
  if (!policies) return { kind: 'undecided' };
  const { mode, source, ports } = effectiveMode(pod, policies);
  const where = source ? `PeerAuthentication ${source}` : "no PeerAuthentication: Istio's default";
  if (mode === 'STRICT' && ports.length === 0)
    return { kind: 'encrypted', how: `Istio mTLS STRICT (${where})` };
  if (mode === 'STRICT')
    return { kind: 'permissive', how: `Istio mTLS STRICT but port ${ports.join(', ')} (${where})` };
  return { kind: 'permissive', how: `Istio mTLS ${mode} (${where})` };
}

interface Resolved {
  mode: string;
  /** `namespace/name` of the policy that set the mode. */
  source?: string;
  /** Ports the workload policy leaves PERMISSIVE/DISABLE, as `8080 PERMISSIVE`. */
  ports: string[];
}

function effectiveMode(pod: PodSummary, policies: readonly PeerAuthentication[]): Resolved {
  const valid = policies.filter((p) => p?.metadata?.name && p.metadata.namespace);
  const inNs = (ns: string) => valid.filter((p) => p.metadata.namespace === ns);
  const mesh = oldest(inNs(ISTIO_ROOT_NAMESPACE).filter((p) => !hasSelector(p)));
  const namespaceWide = oldest(inNs(pod.namespace).filter((p) => !hasSelector(p)));
  const workload =
    pod.namespace === ISTIO_ROOT_NAMESPACE
      ? undefined
      : oldest(inNs(pod.namespace).filter((p) => hasSelector(p) && selects(p, pod)));
  let resolved: Resolved = { mode: 'PERMISSIVE', ports: [] };
  for (const p of [mesh, namespaceWide, workload]) {
    const mode = modeOf(p?.spec?.mtls?.mode);
    if (p && mode) resolved = { mode, source: `${p.metadata.namespace}/${p.metadata.name}`, ports: [] };
  }
  const portLevel = workload?.spec?.portLevelMtls;
  if (portLevel && typeof portLevel === 'object') {
    resolved.ports = Object.entries(portLevel)
      .map(([port, v]) => [port, modeOf(v?.mode)] as const)
      .filter(([, m]) => m === 'PERMISSIVE' || m === 'DISABLE')
      .map(([port, m]) => `${port} ${m}`)
      .sort();
    if (resolved.ports.length > 0 && workload)
      resolved.source = `${workload.metadata.namespace}/${workload.metadata.name}`;
  }
  return resolved;
}

/** A set mode; `UNSET`, absent or unknown values inherit. */
function modeOf(mode: unknown): Exclude<MtlsMode, 'UNSET'> | undefined {
  return mode === 'STRICT' || mode === 'PERMISSIVE' || mode === 'DISABLE' ? mode : undefined;
}

function hasSelector(p: PeerAuthentication): boolean {
  const labels = p.spec?.selector?.matchLabels;
  return Boolean(labels && typeof labels === 'object' && Object.keys(labels).length > 0);
}

function selects(p: PeerAuthentication, pod: PodSummary): boolean {
  const labels = p.spec?.selector?.matchLabels ?? {};
  return Object.entries(labels).every(([k, v]) => pod.labels?.[k] === v);
}

/** Istio uses the oldest of several policies at one level; name breaks ties. */
function oldest(policies: PeerAuthentication[]): PeerAuthentication | undefined {
  return [...policies].sort(
    (a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
      a.metadata.name.localeCompare(b.metadata.name),
  )[0];
}
