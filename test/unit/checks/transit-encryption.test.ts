import { isAlerting } from '../../../jobs/alerts/alert-rules.js';
import type { Finding } from '../../../jobs/checks/finding.js';
import type { CheckSettings } from '../../../jobs/checks/settings.js';
import type { ClusterSnapshot, CollectError } from '../../../jobs/checks/snapshot.js';
import { checkTransitEncryption } from '../../../jobs/checks/transit-encryption.js';
import { uncoveredHosts } from '../../../jobs/checks/transit-ingress.js';
import type {
  Ingress,
  PeerAuthentication,
  PodSummary,
  TransitSnapshot,
} from '../../../jobs/checks/transit-objects.js';

// ---- given: small local builders (independent of test/fakes) ----
const NOW = new Date('2026-11-25T12:00:00Z');
const pod = (ns: string, name: string, o: Partial<PodSummary> = {}): PodSummary => ({
  namespace: ns,
  name,
  containers: ['app'],
  ...o,
});
const istio = (ns: string, name: string, labels?: Record<string, string>) =>
  pod(ns, name, { containers: ['app', 'istio-proxy'], labels });
const pa = (
  ns: string,
  name: string,
  spec: PeerAuthentication['spec'],
  createdMinutesAgo = 60,
): PeerAuthentication => ({
  metadata: {
    name,
    namespace: ns,
    creationTimestamp: new Date(NOW.getTime() - createdMinutesAgo * 60_000).toISOString(),
  },
  spec,
});
const ing = (name: string, hosts: (string | undefined)[], tls?: { hosts?: string[] }[]): Ingress => ({
  metadata: { name, namespace: 'pos' },
  spec: { rules: hosts.map((host) => (host ? { host } : {})), ...(tls ? { tls } : {}) },
});
const forbidden = (rule: string): CollectError => ({
  reason: 'Forbidden',
  message: `RBAC does not allow: ${rule}`,
  missingRule: rule,
});
const notFound: CollectError = { reason: 'NotFound', message: 'API not served' };

function transit(o: Partial<TransitSnapshot> = {}): TransitSnapshot {
  return {
    ciliumConfig: { ok: true, value: null },
    felixConfiguration: { ok: true, value: null },
    peerAuthentications: { ok: false, error: notFound },
    ingresses: { ok: true, items: [] },
    pods: { ok: true, items: [pod('kube-system', 'coredns-1')] },
    ...o,
  };
}
const snap = (
  t: TransitSnapshot | undefined,
  namespaces: ClusterSnapshot['namespaces'] = { ok: true, items: [] },
) =>
  ({
    cluster: 'store-042',
    collectedAt: NOW.toISOString(),
    transit: t,
    namespaces,
  }) as unknown as ClusterSnapshot;
const settings = (transitSettings?: CheckSettings['transit']) =>
  ({ transit: transitSettings }) as CheckSettings;
const cilium = (data: Record<string, string>) =>
  ({ ok: true, value: { metadata: { name: 'cilium-config', namespace: 'kube-system' }, data } }) as const;

const brief = (f: Finding) => [f.status, f.reason, f.resource ?? null];

describe('checkTransitEncryption', () => {
  it.each<[string, TransitSnapshot, CheckSettings['transit'] | undefined, unknown[][]]>([
    [
      'no Pods outside system namespaces → TransitNotRequired',
      transit(),
      undefined,
      [['ok', 'TransitNotRequired', null]],
    ],
    [
      'Cilium WireGuard → every namespace encrypted',
      transit({
        ciliumConfig: cilium({ 'enable-wireguard': 'true', 'enable-ipsec': 'false' }),
        pods: { ok: true, items: [pod('pos', 'web-1'), pod('inventory', 'api-1')] },
      }),
      undefined,
      [
        ['ok', 'TransitEncrypted', 'namespace/inventory'],
        ['ok', 'TransitEncrypted', 'namespace/pos'],
      ],
    ],
    [
      'Cilium IPsec → encrypted',
      transit({
        ciliumConfig: cilium({ 'enable-ipsec': 'true' }),
        pods: { ok: true, items: [pod('pos', 'a')] },
      }),
      undefined,
      [['ok', 'TransitEncrypted', 'namespace/pos']],
    ],
    [
      'Cilium installed without encryption, nothing else → TransitPlaintext (warn)',
      transit({
        ciliumConfig: cilium({ 'enable-wireguard': 'false' }),
        pods: { ok: true, items: [pod('pos', 'a')] },
      }),
      undefined,
      [['warn', 'TransitPlaintext', 'namespace/pos']],
    ],
    [
      'transit.required → TransitPlaintext fails',
      transit({ pods: { ok: true, items: [pod('pos', 'a')] } }),
      { required: true, attested: [] },
      [['fail', 'TransitPlaintext', 'namespace/pos']],
    ],
    [
      'Calico wireguardEnabledV6 → encrypted',
      transit({
        felixConfiguration: {
          ok: true,
          value: { metadata: { name: 'default' }, spec: { wireguardEnabledV6: true } },
        },
        pods: { ok: true, items: [pod('pos', 'a')] },
      }),
      undefined,
      [['ok', 'TransitEncrypted', 'namespace/pos']],
    ],
    [
      'Calico without WireGuard → plaintext',
      transit({
        felixConfiguration: {
          ok: true,
          value: { metadata: { name: 'default' }, spec: { wireguardEnabled: false } },
        },
        pods: { ok: true, items: [pod('pos', 'a')] },
      }),
      undefined,
      [['warn', 'TransitPlaintext', 'namespace/pos']],
    ],
    [
      'attested namespace → encrypted, others plaintext',
      transit({ pods: { ok: true, items: [pod('pos', 'a'), pod('inventory', 'b')] } }),
      { required: false, attested: [{ namespace: 'pos', evidence: 'app-level TLS to the payment gateway' }] },
      [
        ['warn', 'TransitPlaintext', 'namespace/inventory'],
        ['ok', 'TransitEncrypted', 'namespace/pos'],
      ],
    ],
    [
      'Istio mesh-wide STRICT and sidecars everywhere → encrypted',
      transit({
        peerAuthentications: {
          ok: true,
          items: [pa('istio-system', 'default', { mtls: { mode: 'STRICT' } })],
        },
        pods: { ok: true, items: [istio('pos', 'a'), istio('pos', 'b')] },
      }),
      undefined,
      [['ok', 'TransitEncrypted', 'namespace/pos']],
    ],
    [
      'Istio mesh STRICT but the namespace overrides PERMISSIVE → MtlsPermissive',
      transit({
        peerAuthentications: {
          ok: true,
          items: [
            pa('istio-system', 'default', { mtls: { mode: 'STRICT' } }),
            pa('pos', 'default', { mtls: { mode: 'PERMISSIVE' } }),
          ],
        },
        pods: { ok: true, items: [istio('pos', 'a'), istio('inventory', 'b')] },
      }),
      undefined,
      [
        ['ok', 'TransitEncrypted', 'namespace/inventory'],
        ['warn', 'MtlsPermissive', 'namespace/pos'],
      ],
    ],
    [
      'Istio sidecars with no PeerAuthentication at all → Istio default PERMISSIVE',
      transit({
        peerAuthentications: { ok: true, items: [] },
        pods: { ok: true, items: [istio('pos', 'a')] },
      }),
      undefined,
      [['warn', 'MtlsPermissive', 'namespace/pos']],
    ],
    [
      'Istio namespace DISABLE, even with transit.required → MtlsPermissive stays warn',
      transit({
        peerAuthentications: { ok: true, items: [pa('pos', 'default', { mtls: { mode: 'DISABLE' } })] },
        pods: { ok: true, items: [istio('pos', 'a')] },
      }),
      { required: true, attested: [] },
      [['warn', 'MtlsPermissive', 'namespace/pos']],
    ],
    [
      'a workload policy STRICT over a PERMISSIVE namespace covers only the Pods it selects',
      transit({
        peerAuthentications: {
          ok: true,
          items: [
            pa('pos', 'default', { mtls: { mode: 'PERMISSIVE' } }),
            pa('pos', 'finance', { selector: { matchLabels: { app: 'finance' } }, mtls: { mode: 'STRICT' } }),
          ],
        },
        pods: {
          ok: true,
          items: [istio('pos', 'finance-1', { app: 'finance' }), istio('pos', 'web-1', { app: 'web' })],
        },
      }),
      undefined,
      [['warn', 'MtlsPermissive', 'namespace/pos']],
    ],
    [
      'a workload policy STRICT on every Pod over a PERMISSIVE namespace → encrypted',
      transit({
        peerAuthentications: {
          ok: true,
          items: [
            pa('pos', 'default', { mtls: { mode: 'PERMISSIVE' } }),
            pa('pos', 'all', { selector: { matchLabels: { tier: 'pos' } }, mtls: { mode: 'STRICT' } }),
          ],
        },
        pods: { ok: true, items: [istio('pos', 'a', { tier: 'pos' }), istio('pos', 'b', { tier: 'pos' })] },
      }),
      undefined,
      [['ok', 'TransitEncrypted', 'namespace/pos']],
    ],
    [
      'STRICT with a port-level DISABLE (strict reading) → MtlsPermissive',
      transit({
        peerAuthentications: {
          ok: true,
          items: [
            pa('istio-system', 'default', { mtls: { mode: 'STRICT' } }),
            pa('pos', 'metrics', {
              selector: { matchLabels: { app: 'web' } },
              mtls: { mode: 'UNSET' },
              portLevelMtls: { '9090': { mode: 'DISABLE' } },
            }),
          ],
        },
        pods: { ok: true, items: [istio('pos', 'web-1', { app: 'web' })] },
      }),
      undefined,
      [['warn', 'MtlsPermissive', 'namespace/pos']],
    ],
    [
      'a selector policy in the root namespace is ignored, as Istio does',
      transit({
        peerAuthentications: {
          ok: true,
          items: [
            pa('istio-system', 'default', { mtls: { mode: 'STRICT' } }),
            pa('istio-system', 'web', {
              selector: { matchLabels: { app: 'web' } },
              mtls: { mode: 'DISABLE' },
            }),
          ],
        },
        pods: { ok: true, items: [istio('pos', 'web-1', { app: 'web' })] },
      }),
      undefined,
      [['ok', 'TransitEncrypted', 'namespace/pos']],
    ],
    [
      'two namespace-wide policies: the oldest wins',
      transit({
        peerAuthentications: {
          ok: true,
          items: [
            pa('pos', 'newer', { mtls: { mode: 'PERMISSIVE' } }, 5),
            pa('pos', 'older', { mtls: { mode: 'STRICT' } }, 500),
          ],
        },
        pods: { ok: true, items: [istio('pos', 'a')] },
      }),
      undefined,
      [['ok', 'TransitEncrypted', 'namespace/pos']],
    ],
    [
      'Istio ambient capture counts as meshed',
      transit({
        peerAuthentications: {
          ok: true,
          items: [pa('istio-system', 'default', { mtls: { mode: 'STRICT' } })],
        },
        pods: {
          ok: true,
          items: [pod('pos', 'a', { meshAnnotations: { 'ambient.istio.io/redirection': 'enabled' } })],
        },
      }),
      undefined,
      [['ok', 'TransitEncrypted', 'namespace/pos']],
    ],
    [
      'mesh-wide STRICT with a Pod lacking a sidecar → TransitPlaintext (the policy protects only proxies)',
      transit({
        peerAuthentications: {
          ok: true,
          items: [pa('istio-system', 'default', { mtls: { mode: 'STRICT' } })],
        },
        pods: { ok: true, items: [istio('pos', 'a'), pod('pos', 'legacy-1')] },
      }),
      undefined,
      [['warn', 'TransitPlaintext', 'namespace/pos']],
    ],
    [
      'Linkerd proxy in every Pod → encrypted',
      transit({ pods: { ok: true, items: [pod('pos', 'a', { containers: ['app', 'linkerd-proxy'] })] } }),
      undefined,
      [['ok', 'TransitEncrypted', 'namespace/pos']],
    ],
    [
      'a Linkerd inject annotation without a proxy is no evidence',
      transit({
        pods: { ok: true, items: [pod('pos', 'a', { meshAnnotations: { 'linkerd.io/inject': 'enabled' } })] },
      }),
      undefined,
      [['warn', 'TransitPlaintext', 'namespace/pos']],
    ],
    [
      'cilium-config forbidden, no other evidence → one unknown Forbidden naming the rule',
      transit({
        ciliumConfig: {
          ok: false,
          error: forbidden('get core configmaps "cilium-config" in namespace kube-system'),
        },
        pods: { ok: true, items: [pod('pos', 'a'), pod('inventory', 'b')] },
      }),
      undefined,
      [['unknown', 'Forbidden', null]],
    ],
    [
      'cilium-config forbidden but Calico WireGuard on → encrypted (other evidence wins)',
      transit({
        ciliumConfig: { ok: false, error: forbidden('get core configmaps') },
        felixConfiguration: {
          ok: true,
          value: { metadata: { name: 'default' }, spec: { wireguardEnabled: true } },
        },
        pods: { ok: true, items: [pod('pos', 'a')] },
      }),
      undefined,
      [['ok', 'TransitEncrypted', 'namespace/pos']],
    ],
    [
      'PeerAuthentications forbidden: Istio Pods undecided, Linkerd Pods still judged',
      transit({
        peerAuthentications: {
          ok: false,
          error: forbidden('list security.istio.io peerauthentications in all namespaces'),
        },
        pods: {
          ok: true,
          items: [istio('pos', 'a'), pod('inventory', 'b', { containers: ['app', 'linkerd-proxy'] })],
        },
      }),
      undefined,
      [
        ['ok', 'TransitEncrypted', 'namespace/inventory'],
        ['unknown', 'Forbidden', null],
      ],
    ],
    [
      'Pods cannot be listed → unknown, never ok',
      transit({ pods: { ok: false, error: { reason: 'Timeout', message: 'no answer' } } }),
      undefined,
      [['unknown', 'Timeout', null]],
    ],
    [
      'an Ingress serving a host without TLS → IngressWithoutTls next to the namespace finding',
      transit({
        ciliumConfig: cilium({ 'enable-wireguard': 'true' }),
        pods: { ok: true, items: [pod('pos', 'a')] },
        ingresses: {
          ok: true,
          items: [
            ing('shop', ['shop.example.com', 'api.example.com'], [{ hosts: ['shop.example.com'] }]),
            ing('ok', ['a.example.com'], [{ hosts: ['*.example.com'] }]),
          ],
        },
      }),
      undefined,
      [
        ['ok', 'TransitEncrypted', 'namespace/pos'],
        ['warn', 'IngressWithoutTls', 'ingress/pos/shop'],
      ],
    ],
    [
      'IngressWithoutTls fails when transit.required, even with no workload Pods',
      transit({ ingresses: { ok: true, items: [ing('plain', ['shop.example.com'])] } }),
      { required: true, attested: [] },
      [
        ['ok', 'TransitNotRequired', null],
        ['fail', 'IngressWithoutTls', 'ingress/pos/plain'],
      ],
    ],
    [
      'Ingresses cannot be listed → unknown for them',
      transit({
        ingresses: { ok: false, error: forbidden('list networking.k8s.io ingresses in all namespaces') },
      }),
      undefined,
      [
        ['ok', 'TransitNotRequired', null],
        ['unknown', 'Forbidden', 'ingresses'],
      ],
    ],
  ])('given %s', (_title, t, transitSettings, expected) => {
    const findings = checkTransitEncryption(snap(t), NOW, settings(transitSettings));
    expect(findings.map(brief)).toEqual(expected);
    for (const f of findings) expect(f.check).toBe('transit-encryption');
  });

  it('says what encrypts, which Pods lack evidence, and what to do', () => {
    const [wg] = checkTransitEncryption(
      snap(
        transit({
          ciliumConfig: cilium({ 'enable-wireguard': 'true' }),
          pods: { ok: true, items: [pod('pos', 'a')] },
        }),
      ),
      NOW,
      settings(),
    );
    expect(wg.message).toBe(
      '1 running Pod in pos: Cilium WireGuard (kube-system/cilium-config enable-wireguard: "true") encrypts pod traffic between nodes',
    );
    const pods = ['w-1', 'w-2', 'w-3', 'w-4'].map((n) => pod('pos', n));
    const [plain] = checkTransitEncryption(
      snap(
        transit({
          pods: { ok: true, items: [...pods, pod('pos', 'm', { containers: ['app', 'linkerd-proxy'] })] },
        }),
        {
          ok: true,
          items: [{ metadata: { name: 'pos', annotations: { 'linkerd.io/inject': 'enabled' } } }],
        },
      ),
      NOW,
      settings(),
    );
    expect(plain.message).toMatch(/^4 of 5 running Pods in pos \(w-1, w-2, w-3, \+1 more\) have no evidence/);
    expect(plain.message).toMatch(/linkerd\.io\/inject: enabled.*no linkerd-proxy: restart them/);
    expect(plain.message).toMatch(/transit\.attested/);
  });

  it('names the PERMISSIVE policy that applies', () => {
    const [f] = checkTransitEncryption(
      snap(
        transit({
          peerAuthentications: { ok: true, items: [pa('pos', 'default', { mtls: { mode: 'PERMISSIVE' } })] },
          pods: { ok: true, items: [istio('pos', 'a')] },
        }),
      ),
      NOW,
      settings(),
    );
    expect(f.message).toMatch(/Istio mTLS PERMISSIVE \(PeerAuthentication pos\/default\)/);
    expect(f.message).toMatch(/STRICT/);
  });

  it('an unknown names the missing RBAC rule and every namespace it leaves undecided', () => {
    const rule = 'get core configmaps "cilium-config" in namespace kube-system';
    const findings = checkTransitEncryption(
      snap(
        transit({
          ciliumConfig: { ok: false, error: forbidden(rule) },
          pods: { ok: true, items: [pod('pos', 'a'), pod('inventory', 'b')] },
        }),
      ),
      NOW,
      settings(),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('inventory, pos');
    expect(findings[0].message).toContain(rule);
    expect(findings[0].evidence?.missingRule).toBe(rule);
  });

  it('is unknown when the transit evidence was not collected, and never throws on garbage', () => {
    expect(checkTransitEncryption(snap(undefined), NOW, settings()).map(brief)).toEqual([
      ['unknown', 'ApiError', null],
    ]);
    const junk = transit({
      pods: { ok: true, items: [null, { namespace: 'pos' }, pod('pos', 'a')] as unknown as PodSummary[] },
      peerAuthentications: { ok: true, items: [null, { metadata: null }] as unknown as PeerAuthentication[] },
      ingresses: {
        ok: true,
        items: [null, { metadata: { name: 'x' }, spec: { rules: 'no', tls: 5 } }] as unknown as Ingress[],
      },
    });
    expect(checkTransitEncryption(snap(junk), NOW, {} as CheckSettings).map(brief)).toEqual([
      ['warn', 'TransitPlaintext', 'namespace/pos'],
    ]);
  });
});

describe('transit-encryption and alerts', () => {
  const gaps = transit({
    peerAuthentications: { ok: true, items: [pa('pos', 'default', { mtls: { mode: 'PERMISSIVE' } })] },
    pods: { ok: true, items: [istio('pos', 'a'), pod('inventory', 'b')] },
    ingresses: { ok: true, items: [ing('plain', ['shop.example.com'])] },
  });

  it('by default none of its warnings alerts', () => {
    const findings = checkTransitEncryption(snap(gaps), NOW, settings());
    expect(findings.map((f) => f.reason).sort()).toEqual([
      'IngressWithoutTls',
      'MtlsPermissive',
      'TransitPlaintext',
    ]);
    expect(findings.filter(isAlerting)).toEqual([]);
  });

  it('with transit.required, plaintext Pods and Ingresses fail and so alert; MtlsPermissive does not', () => {
    const findings = checkTransitEncryption(snap(gaps), NOW, settings({ required: true, attested: [] }));
    expect(
      findings
        .filter(isAlerting)
        .map((f) => f.reason)
        .sort(),
    ).toEqual(['IngressWithoutTls', 'TransitPlaintext']);
  });
});

describe('uncoveredHosts', () => {
  it.each<[string, Ingress, string[]]>([
    [
      'every host in spec.tls',
      ing('a', ['a.example.com', 'b.example.com'], [{ hosts: ['a.example.com', 'b.example.com'] }]),
      [],
    ],
    [
      'one host missing',
      ing('a', ['a.example.com', 'b.example.com'], [{ hosts: ['a.example.com'] }]),
      ['b.example.com'],
    ],
    ['no spec.tls', ing('a', ['a.example.com']), ['a.example.com']],
    [
      'a wildcard covers one label',
      ing('a', ['a.example.com', 'x.a.example.com'], [{ hosts: ['*.example.com'] }]),
      ['x.a.example.com'],
    ],
    ['a TLS entry without hosts covers every host', ing('a', ['a.example.com', undefined], [{}]), []],
    [
      'a rule without host needs a TLS entry without hosts',
      ing('a', [undefined], [{ hosts: ['a.example.com'] }]),
      ['*'],
    ],
  ])('%s', (_title, ingress, expected) => {
    expect(uncoveredHosts(ingress)).toEqual(expected);
  });
});
