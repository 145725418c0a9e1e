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
import type { Finding, UnknownReason } from './finding.js';
import { listErrorFinding } from './list-error.js';
import type { CheckSettings } from './settings.js';
import type { ClusterSnapshot, CollectError, Namespace } from './snapshot.js';
import { judgeIngresses } from './transit-ingress.js';
import { judgePod, type PodVerdict } from './transit-mesh.js';
import { CILIUM_CONFIG, type PodSummary, type TransitSnapshot } from './transit-objects.js';

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
  const cni = cniEvidence(t);
  const policies = t.peerAuthentications.ok
    ? t.peerAuthentications.items
    : t.peerAuthentications.error.reason === 'NotFound'
      ? []
      : undefined;
  const hints = namespaceHints(snapshot);
  const attestedBy = new Map(attested.map((a) => [a.namespace, a.evidence]));
  const findings: Finding[] = [];
  const undecided = new Map<CollectError, { what: string; namespaces: string[] }>();
  const leaveUndecided = (ns: string, what: string, error: CollectError) => {
    const entry = undecided.get(error) ?? { what, namespaces: [] };
    entry.namespaces.push(ns);
    undecided.set(error, entry);
  };
  for (const [ns, pods] of [...byNamespace].sort(([a], [b]) => a.localeCompare(b))) {
    const base = { check: CHECK, resource: `namespace/${ns}` } as const;
    const running = `${pods.length} running Pod${pods.length === 1 ? '' : 's'} in ${ns}`;
    const evidence: Finding['evidence'] = { namespace: ns, pods: pods.length };
    const attestation = attestedBy.get(ns);
    if (attestation !== undefined) {
      findings.push({
        ...base,
        status: 'ok',
        reason: 'TransitEncrypted',
        evidence: { ...evidence, attested: attestation },
        message: `${running}: attested encrypted — ${attestation}`,
      });
      continue;
    }
    if (cni.how) {
      findings.push({
        ...base,
        status: 'ok',
        reason: 'TransitEncrypted',
        evidence: { ...evidence, encryptedBy: cni.how },
        message: `${running}: ${cni.how} encrypts pod traffic between nodes`,
      });
      continue;
    }
    const verdicts = pods.map((p) => ({ pod: p, v: judgePod(p, policies) }));
    const of = (kind: PodVerdict['kind']) => verdicts.filter((x) => x.v.kind === kind);
    const [plaintext, permissive, unsure] = [of('plaintext'), of('permissive'), of('undecided')];
    if (plaintext.length + permissive.length + unsure.length === 0) {
      const how = [...new Set(verdicts.map((x) => (x.v as { how: string }).how))].join('; ');
      findings.push({
        ...base,
        status: 'ok',
        reason: 'TransitEncrypted',
        evidence: { ...evidence, encryptedBy: how },
        message: `${running}, each with a mesh proxy enforcing mTLS: ${how}`,
      });
      continue;
    }
    if (cni.failed.length > 0) {
      for (const f of cni.failed) leaveUndecided(ns, f.what, f.error);
      continue;
    }
    if (plaintext.length > 0) {
      const names = podNames(plaintext.map((x) => x.pod));
      const hint = hints.get(ns);
      findings.push({
        ...base,
        status: required ? 'fail' : 'warn',
        reason: 'TransitPlaintext',
        evidence: { ...evidence, plaintextPods: plaintext.length, examples: names },
        message: `${plaintext.length === pods.length ? running : `${plaintext.length} of ${running}`} (${names}) ${plaintext.length === 1 ? 'has' : 'have'} no evidence of encryption in transit: no CNI encryption (Cilium WireGuard/IPsec, Calico WireGuard) and no mesh proxy${hint ? `; ${hint}` : ''} — enable node-to-node encryption, mesh the namespace, or list it in transit.attested with the evidence`,
      });
      continue;
    }
    if (unsure.length > 0 && !t.peerAuthentications.ok) {
      leaveUndecided(ns, 'Istio PeerAuthentications', t.peerAuthentications.error);
      continue;
    }
    const how = [...new Set(permissive.map((x) => (x.v as { how: string }).how))].join('; ');
    findings.push({
      ...base,
      status: 'warn',
      reason: 'MtlsPermissive',
      evidence: { ...evidence, permissivePods: permissive.length, mtls: how },
      message: `${permissive.length === pods.length ? running : `${permissive.length} of ${running}`} (${podNames(permissive.map((x) => x.pod))}) also accept plaintext: ${how} — set spec.mtls.mode: STRICT for the namespace or mesh`,
    });
  }
  for (const [error, { what, namespaces }] of undecided)
    findings.push(undecidedFinding(what, error, namespaces));
  return [...findings, ...ingresses];
}

interface CniEvidence {
  /** What encrypts node-to-node traffic, when something does. */
  how?: string;
  /** Reads that failed, so the CNI's encryption cannot be ruled out. */
  failed: { what: string; error: CollectError }[];
}

function cniEvidence(t: TransitSnapshot): CniEvidence {
  const failed: CniEvidence['failed'] = [];
  const cilium = `${CILIUM_CONFIG.namespace}/${CILIUM_CONFIG.name}`;
  if (!t.ciliumConfig.ok) failed.push({ what: `ConfigMap ${cilium}`, error: t.ciliumConfig.error });
  else {
    const data = t.ciliumConfig.value?.data ?? {};
    if (data['enable-wireguard'] === 'true')
      return { how: `Cilium WireGuard (${cilium} enable-wireguard: "true")`, failed };
    if (data['enable-ipsec'] === 'true')
      return { how: `Cilium IPsec (${cilium} enable-ipsec: "true")`, failed };
  }
  if (!t.felixConfiguration.ok)
    failed.push({ what: 'Calico FelixConfiguration default', error: t.felixConfiguration.error });
  else {
    const spec = t.felixConfiguration.value?.spec;
    const on = [
      spec?.wireguardEnabled === true && 'wireguardEnabled',
      spec?.wireguardEnabledV6 === true && 'wireguardEnabledV6',
    ].filter(Boolean);
    if (on.length > 0)
      return { how: `Calico WireGuard (FelixConfiguration default ${on.join(', ')}: true)`, failed };
  }
  return { failed };
}

/** Why a namespace's Pods may lack a proxy although injection is asked for. */
function namespaceHints(snapshot: ClusterSnapshot): Map<string, string> {
  const hints = new Map<string, string>();
  const items: Namespace[] = snapshot.namespaces?.ok ? snapshot.namespaces.items : [];
  for (const ns of items) {
    const name = ns?.metadata?.name;
    if (!name) continue;
    const { annotations = {}, labels = {} } = ns.metadata;
    if (annotations['linkerd.io/inject'] === 'enabled')
      hints.set(
        name,
        'the namespace asks for Linkerd injection (linkerd.io/inject: enabled) but these Pods have no linkerd-proxy: restart them',
      );
    else if (labels['istio-injection'] === 'enabled' || labels['istio.io/rev'])
      hints.set(
        name,
        'the namespace asks for Istio sidecar injection but these Pods have no istio-proxy: restart them',
      );
  }
  return hints;
}

function undecidedFinding(what: string, error: CollectError, namespaces: string[]): Finding {
  const reason: UnknownReason = error.reason === 'NotFound' ? 'ApiError' : error.reason;
  const why =
    reason === 'Forbidden'
      ? `dpbot is not allowed to ${error.missingRule ?? `read ${what}`}; add that rule to dpbot's RBAC (deploy/target-cluster-rbac.yaml)`
      : `reading ${what} failed: ${error.message}`;
  return {
    check: CHECK,
    status: 'unknown',
    reason,
    message: `cannot tell whether traffic in ${namespaces.join(', ')} is encrypted: ${why}`,
    evidence: {
      reading: what,
      namespaces: namespaces.join(', '),
      error: error.message ?? null,
      ...(error.missingRule ? { missingRule: error.missingRule } : {}),
    },
  };
}

function podNames(pods: PodSummary[]): string {
  const names = pods.map((p) => p.name).sort();
  return `${names.slice(0, SHOWN_PODS).join(', ')}${names.length > SHOWN_PODS ? `, +${names.length - SHOWN_PODS} more` : ''}`;
}
