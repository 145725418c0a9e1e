/**
 * transit-encryption: is workload traffic encrypted on the wire?
 *
 * One finding per namespace with Running Pods (resource `namespace/<ns>`), plus one per Ingress that
 * serves a host without TLS. A namespace is encrypted by the first evidence that covers it:
 * `transit.attested`, CNI node-to-node encryption (Cilium `kube-system/cilium-config`
 * `enable-wireguard`/`enable-ipsec`, Calico `FelixConfiguration default` `wireguardEnabled[V6]`), or a
 * mesh proxy in every Pod with mTLS enforced (transit-mesh.ts). Pods with none of it are
 * `TransitPlaintext`; Istio Pods whose inbound mode is PERMISSIVE/DISABLE are `MtlsPermissive`. Where
 * a read failed and no other evidence covers a namespace, one `unknown` per failed read names the
 * namespaces it leaves undecided — never `ok`, and no warning that could be false.
 * `transit.required` makes TransitPlaintext and IngressWithoutTls fail (and so alert); MtlsPermissive
 * stays a warning (meshed peers still use mTLS; only clients outside the mesh may send plaintext).
 */
import type { Finding } from './finding.js';
import { listErrorFinding } from './list-error.js';
import type { CheckSettings } from './settings.js';
import type { ClusterSnapshot, CollectError } from './snapshot.js';
import { type CniEvidence, cniEvidence, namespaceHints, undecidedFinding } from './transit-evidence.js';
import { judgeIngresses } from './transit-ingress.js';
import { judgePod, type PodVerdict } from './transit-mesh.js';
import type { PeerAuthentication, PodSummary } from './transit-objects.js';

const CHECK = 'transit-encryption';
/** Kubernetes' own, the Arc agents', and the CNI/mesh control planes (their own connections use TLS). */
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set([
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'azure-arc',
  'azure-arc-release',
  'calico-system',
  'tigera-operator',
  'istio-system',
  'linkerd',
]);
const SHOWN_PODS = 3;

export function checkTransitEncryption(
  snapshot: ClusterSnapshot,
  _now: Date,
  settings: CheckSettings,
): Finding[] {
  const t = snapshot.transit;
  const { required, attested } = settings.transit ?? { required: false, attested: [] };
  if (!t) {
    return [
      {
        check: CHECK,
        status: 'unknown',
        reason: 'ApiError',
        message:
          'transit evidence was not collected by this dpbot version — cannot verify encryption in transit',
      },
    ];
  }
  if (!t.pods.ok) return [listErrorFinding(CHECK, 'Running Pods in all namespaces', t.pods.error)];
  const ingresses = judgeIngresses(t.ingresses, required);
  const byNamespace = new Map<string, PodSummary[]>();
  for (const pod of t.pods.items) {
    if (!pod?.namespace || !Array.isArray(pod.containers) || SYSTEM_NAMESPACES.has(pod.namespace)) continue;
    const list = byNamespace.get(pod.namespace);
    if (list) list.push(pod);
    else byNamespace.set(pod.namespace, [pod]);
  }
  if (byNamespace.size === 0) {
    return [
      {
        check: CHECK,
        status: 'ok',
        reason: 'TransitNotRequired',
        message: `no Pods run outside the system namespaces (${[...SYSTEM_NAMESPACES].slice(0, 3).join(', ')}, …): no workload traffic to protect`,
      },
      ...ingresses,
    ];
  }
  const ctx: NamespaceContext = {
    required,
    cni: cniEvidence(t),
    policies: t.peerAuthentications.ok
      ? t.peerAuthentications.items
      : t.peerAuthentications.error.reason === 'NotFound'
        ? []
        : undefined,
    policyError: t.peerAuthentications.ok ? undefined : t.peerAuthentications.error,
    hints: namespaceHints(snapshot),
    attested: new Map(attested.map((a) => [a.namespace, a.evidence])),
  };
  const findings: Finding[] = [];
  // One unknown per failed read, naming every namespace it leaves undecided.
  const undecided = new Map<CollectError, { what: string; namespaces: string[] }>();
  for (const [ns, pods] of [...byNamespace].sort(([a], [b]) => a.localeCompare(b))) {
    const verdict = judgeNamespace(ns, pods, ctx);
    if ('check' in verdict) {
      findings.push(verdict);
      continue;
    }
    for (const { what, error } of verdict.undecided) {
      const entry = undecided.get(error) ?? { what, namespaces: [] };
      entry.namespaces.push(ns);
      undecided.set(error, entry);
    }
  }
  for (const [error, { what, namespaces }] of undecided)
    findings.push(undecidedFinding(CHECK, what, error, namespaces));
  return [...findings, ...ingresses];
}

interface NamespaceContext {
  required: boolean;
  cni: CniEvidence;
  /** Undefined: the PeerAuthentications could not be read (`policyError`). */
  policies: PeerAuthentication[] | undefined;
  policyError?: CollectError;
  hints: Map<string, string>;
  attested: Map<string, string>;
}
type Undecided = { undecided: { what: string; error: CollectError }[] };

/** The first evidence that covers the namespace wins; a failed read only matters when nothing does. */
function judgeNamespace(ns: string, pods: PodSummary[], ctx: NamespaceContext): Finding | Undecided {
  const base = { check: CHECK, resource: `namespace/${ns}` } as const;
  const running = `${pods.length} running Pod${pods.length === 1 ? '' : 's'} in ${ns}`;
  const evidence: Finding['evidence'] = { namespace: ns, pods: pods.length };
  const attestation = ctx.attested.get(ns);
  if (attestation !== undefined) {
    return {
      ...base,
      status: 'ok',
      reason: 'TransitEncrypted',
      evidence: { ...evidence, attested: attestation },
      message: `${running}: attested encrypted — ${attestation}`,
    };
  }
  if (ctx.cni.how) {
    return {
      ...base,
      status: 'ok',
      reason: 'TransitEncrypted',
      evidence: { ...evidence, encryptedBy: ctx.cni.how },
      message: `${running}: ${ctx.cni.how} encrypts pod traffic between nodes`,
    };
  }
  const verdicts = pods.map((p) => ({ pod: p, v: judgePod(p, ctx.policies) }));
  const of = (kind: PodVerdict['kind']) => verdicts.filter((x) => x.v.kind === kind);
  const [plaintext, permissive, unsure] = [of('plaintext'), of('permissive'), of('undecided')];
  const hows = (xs: typeof verdicts) => [...new Set(xs.map((x) => (x.v as { how: string }).how))].join('; ');
  const some = (n: number) => (n === pods.length ? running : `${n} of ${running}`);
  if (plaintext.length + permissive.length + unsure.length === 0) {
    const how = hows(verdicts);
    return {
      ...base,
      status: 'ok',
      reason: 'TransitEncrypted',
      evidence: { ...evidence, encryptedBy: how },
      message: `${running}, each with a mesh proxy enforcing mTLS: ${how}`,
    };
  }
  if (ctx.cni.failed.length > 0) return { undecided: ctx.cni.failed };
  if (plaintext.length > 0) {
    const names = podNames(plaintext.map((x) => x.pod));
    const hint = ctx.hints.get(ns);
    return {
      ...base,
      status: ctx.required ? 'fail' : 'warn',
      reason: 'TransitPlaintext',
      evidence: { ...evidence, plaintextPods: plaintext.length, examples: names },
      message: `${some(plaintext.length)} (${names}) ${plaintext.length === 1 ? 'has' : 'have'} no evidence of encryption in transit: no CNI encryption (Cilium WireGuard/IPsec, Calico WireGuard) and no mesh proxy${hint ? `; ${hint}` : ''} — enable node-to-node encryption, mesh the namespace, or list it in transit.attested with the evidence`,
    };
  }
  if (unsure.length > 0 && ctx.policyError)
    return { undecided: [{ what: 'Istio PeerAuthentications', error: ctx.policyError }] };
  const how = hows(permissive);
  return {
    ...base,
    status: 'warn',
    reason: 'MtlsPermissive',
    evidence: { ...evidence, permissivePods: permissive.length, mtls: how },
    message: `${some(permissive.length)} (${podNames(permissive.map((x) => x.pod))}) also accept plaintext: ${how} — set spec.mtls.mode: STRICT for the namespace or mesh`,
  };
}

function podNames(pods: PodSummary[]): string {
  const names = pods.map((p) => p.name).sort();
  return `${names.slice(0, SHOWN_PODS).join(', ')}${names.length > SHOWN_PODS ? `, +${names.length - SHOWN_PODS} more` : ''}`;
}
