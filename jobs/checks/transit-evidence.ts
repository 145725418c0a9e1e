/**
 * transit-encryption's cluster-wide evidence: does the CNI encrypt node-to-node traffic, which
 * namespaces ask for mesh injection, and the `unknown` for a read that leaves namespaces undecided.
 */
import type { CheckName, Finding, UnknownReason } from './finding.js';
import type { ClusterSnapshot, CollectError, Namespace } from './snapshot.js';
import { CILIUM_CONFIG, type TransitSnapshot } from './transit-objects.js';

export interface CniEvidence {
  /** What encrypts node-to-node traffic, when something does. */
  how?: string;
  /** Reads that failed, so the CNI's encryption cannot be ruled out. */
  failed: { what: string; error: CollectError }[];
}

export function cniEvidence(t: TransitSnapshot): CniEvidence {
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
export function namespaceHints(snapshot: ClusterSnapshot): Map<string, string> {
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

export function undecidedFinding<C extends CheckName>(
  check: C,
  what: string,
  error: CollectError,
  namespaces: string[],
): Finding<C> {
  const reason: UnknownReason = error.reason === 'NotFound' ? 'ApiError' : error.reason;
  const why =
    reason === 'Forbidden'
      ? `dpbot is not allowed to ${error.missingRule ?? `read ${what}`}; add that rule to dpbot's RBAC (deploy/target-cluster-rbac.yaml)`
      : `reading ${what} failed: ${error.message}`;
  return {
    check,
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
