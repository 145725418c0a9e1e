/**
 * Ingress TLS: every host an Ingress serves (`spec.rules[].host`) must be covered by `spec.tls`.
 * A TLS entry without `hosts` covers every host (Kubernetes: "defaults to the wildcard host setting
 * of the load balancer controller"); `*.example.com` covers exactly one more label. A rule without a
 * host (and an Ingress with only a defaultBackend) serves every host, so only such an entry covers it.
 */
import type { Finding } from './finding.js';
import { listErrorFinding } from './list-error.js';
import type { Listed } from './snapshot.js';
import type { Ingress, IngressTls } from './transit-objects.js';

const CHECK = 'transit-encryption';
/** Stands for a rule without `host`: all traffic the controller sends to this Ingress. */
const ANY_HOST = '*';

export function judgeIngresses(listed: Listed<Ingress>, required: boolean): Finding[] {
  if (!listed.ok) {
    if (listed.error.reason === 'NotFound') return [];
    return [
      listErrorFinding(CHECK, 'networking.k8s.io Ingresses in all namespaces', listed.error, 'ingresses'),
    ];
  }
  const findings: Finding[] = [];
  for (const ing of listed.items.filter((i) => i?.metadata?.name)) {
    const uncovered = uncoveredHosts(ing);
    if (uncovered.length === 0) continue;
    const ref = `${ing.metadata.namespace ?? 'default'}/${ing.metadata.name}`;
    const shown = uncovered.map((h) => (h === ANY_HOST ? '(any host)' : h));
    const tls = Array.isArray(ing.spec?.tls) ? ing.spec.tls : [];
    findings.push({
      check: CHECK,
      status: required ? 'fail' : 'warn',
      reason: 'IngressWithoutTls',
      resource: `ingress/${ref}`,
      message: `Ingress ${ref} serves ${shown.join(', ')} without TLS${tls.length ? ' (not in spec.tls)' : ' (no spec.tls)'}: requests and responses cross the network in plaintext — add a spec.tls entry with a certificate for ${uncovered.length === 1 ? 'that host' : 'those hosts'}`,
      evidence: {
        ingress: ref,
        hostsWithoutTls: shown.join(', '),
        tlsHosts: tls.flatMap((t) => t?.hosts ?? []).join(', ') || null,
      },
    });
  }
  return findings;
}

export function uncoveredHosts(ing: Ingress): string[] {
  const rules = Array.isArray(ing.spec?.rules) ? ing.spec.rules : [];
  const hosts = rules.map((r) => (typeof r?.host === 'string' && r.host !== '' ? r.host : ANY_HOST));
  if (rules.length === 0 && ing.spec?.defaultBackend) hosts.push(ANY_HOST);
  const tls = Array.isArray(ing.spec?.tls) ? ing.spec.tls : [];
  return [...new Set(hosts)].filter((h) => !tls.some((t) => covers(t, h))).sort();
}

function covers(tls: IngressTls, host: string): boolean {
  const hosts = Array.isArray(tls?.hosts) ? tls.hosts.filter((h) => typeof h === 'string') : [];
  if (hosts.length === 0) return true;
  if (host === ANY_HOST) return false;
  return hosts.some((h) => h === host || (h.startsWith('*.') && wildcardMatches(h.slice(2), host)));
}

/** `*.example.com` covers `shop.example.com`, not `example.com` nor `a.shop.example.com`. */
function wildcardMatches(suffix: string, host: string): boolean {
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === suffix;
}
