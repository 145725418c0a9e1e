/**
 * deploy/target-cluster-rbac.yaml allows every request dpbot makes, and nothing touching Secrets.
 * The requests are not listed by hand: the real collector and the real Velero action client run
 * against the fake API, and every request in its log is checked against the parsed RBAC rules, so
 * a new read or write in the code fails here until the ClusterRole or Role grants it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KubeDrillActions } from '../../adapters/kube/drill-actions.js';
import { KubeSnapshotCollector } from '../../adapters/kube/snapshot-collector.js';
import { KubeVeleroActions } from '../../adapters/kube/velero-actions.js';
import { buildConfig, type ClusterConfig } from '../../bot/config.js';
import { runPreflight } from '../../jobs/approvals/preflight.js';
import type { ProposalRequest } from '../../jobs/approvals/proposal.js';
import { cleanupDrill } from '../../jobs/drill/cleanup.js';
import { drillRestoreName, scratchLabels } from '../../jobs/drill/drill-plan.js';
import * as b from '../fakes/kube-api/builders.js';
import { appNamespace } from '../fakes/kube-api/drill-builders.js';
import { FakeKubeApi, type RequestLogEntry } from '../fakes/kube-api/fake-kube-api.js';
import { VeleroSimulator } from '../fakes/kube-api/velero-simulator.js';

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
  resourceNames?: string[];
}
interface RbacObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Rule[];
  roleRef?: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
}
/** What the API server's RBAC authorizer sees for one request. */
type Attributes =
  | { nonResource: true; verb: string; path: string }
  | { nonResource: false; verb: string; group: string; resource: string; namespace?: string; name?: string };

const RBAC_FILE = join(__dirname, '../../deploy/target-cluster-rbac.yaml');
const objects = parseAllDocuments(readFileSync(RBAC_FILE, 'utf8')).map((d) => d.toJS() as RbacObject);
const clusterRoles = objects.filter((o) => o.kind === 'ClusterRole');
const roles = objects.filter((o) => o.kind === 'Role');

/** Kubernetes' RequestInfo resolution, for the paths dpbot uses. */
function attributes(r: RequestLogEntry): Attributes {
  const verbs: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
  const parts = r.path.split('/').filter(Boolean);
  if (parts[0] !== 'api' && parts[0] !== 'apis')
    return { nonResource: true, verb: r.method === 'GET' ? 'get' : r.method.toLowerCase(), path: r.path };
  const [group, rest] = parts[0] === 'api' ? ['', parts.slice(2)] : [parts[1], parts.slice(3)];
  let namespace: string | undefined;
  let tail = rest;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    tail = rest.slice(2);
  }
  const [resource, name] = tail;
  const verb =
    r.method === 'GET' ? (r.query.watch === 'true' ? 'watch' : name ? 'get' : 'list') : verbs[r.method];
  return { nonResource: false, verb, group, resource, namespace, name };
}

function ruleAllows(rule: Rule, a: Attributes): boolean {
  if (!rule.verbs.includes(a.verb)) return false;
  if (a.nonResource)
    return (rule.nonResourceURLs ?? []).some((u) =>
      u.endsWith('*') ? a.path.startsWith(u.slice(0, -1)) : u === a.path,
    );
  // A rule with resourceNames allows only requests for those names (never a list).
  if (rule.resourceNames && !(a.name && rule.resourceNames.includes(a.name))) return false;
  return Boolean(rule.apiGroups?.includes(a.group) && rule.resources?.includes(a.resource));
}

/** ClusterRole rules apply everywhere; a Role's only inside its namespace (and never to cluster scope). */
function allowed(a: Attributes): boolean {
  if (clusterRoles.some((cr) => cr.rules?.some((r) => ruleAllows(r, a)))) return true;
  if (a.nonResource || !a.namespace) return false;
  return roles.some(
    (role) => role.metadata.namespace === a.namespace && role.rules?.some((r) => ruleAllows(r, a)),
  );
}

let fake: FakeKubeApi;
let cluster: ClusterConfig;
let recorded: RequestLogEntry[];

beforeAll(async () => {
  fake = await FakeKubeApi.start();
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'dpbot-rbac-')), 'kubeconfig');
  fake.writeKubeconfig(kubeconfig, ['store-rbac']);
  const c = fake.cluster('store-rbac');
  for (const ns of ['velero', 'pos']) c.put(b.namespace(ns));
  c.put(b.backupStorageLocation());
  c.put(b.schedule('nightly'));
  for (let i = 0; i < 4; i++) c.put(b.backup(`nightly-2026010${i + 1}020000`, { schedule: 'nightly' }));
  c.put(b.pvc('data', { namespace: 'pos' }));
  c.put(b.storageClass('default', 'disk.csi.azure.com'));
  c.put(b.deployment());
  c.put(b.secretSync('db-password'));
  c.put(b.secretProviderClass());
  c.put(b.gitRepository());
  c.put(b.kustomization());
  c.put(b.ciliumConfig({ wireguard: true }));
  c.put(b.felixConfiguration({ wireguardEnabled: true }));
  c.put(b.peerAuthentication('default', { mode: 'STRICT' }));
  c.put(b.ingress('shop', { namespace: 'pos', tlsHosts: ['shop.example.com'] }));
  c.put(b.pod('web-1', { namespace: 'pos', sidecars: ['istio-proxy'] }));
  c.put(
    b.persistentVolume(
      'pv-data',
      { csi: { driver: 'disk.csi.azure.com' } },
      { claim: 'pos/data', storageClassName: 'default' },
    ),
  );
  c.put(b.deployment('source-controller', { namespace: 'flux-system' }));
  c.setRaw('/readyz', '[+]ping ok\n[+]kms-provider-0 ok\nreadyz check passed\n');
  c.setRaw(
    '/metrics',
    'apiserver_storage_transformation_operations_total{transformer_prefix="k8s:enc:kms:v2:"} 3\n',
  );
  cluster = buildConfig({ clusters: [{ name: 'store-rbac', kubeconfig, context: 'store-rbac' }] }, 'test')
    .clusters[0];

  // A scan (small pages, so continue tokens are used too) …
  await new KubeSnapshotCollector({ pageSize: 2 }).collect(cluster);
  // … and both approval flows: preflight reads, create, create again (409 → read back), follow.
  const velero = new KubeVeleroActions();
  const now = new Date();
  const base = { cluster: 'store-rbac', requester: 'shell:tester', requestedAt: now.toISOString() };
  const card = { platform: 'shell' as const, channel: 'tty', id: '1' };
  const requests: ProposalRequest[] = [
    {
      ...base,
      kind: 'restore',
      backup: 'nightly-20260101020000',
      namespaces: ['pos'],
      existing: 'none',
      card,
    },
    { ...base, kind: 'backup', schedule: 'nightly', card },
  ];
  for (const [i, req] of requests.entries()) {
    const pre = await runPreflight(`p${i}`, req, cluster, velero, now);
    if (!pre.ok) throw new Error(`preflight failed: ${pre.problem}`);
    expect(await velero.create(cluster, pre.proposal.action)).toEqual({ created: true });
    expect(await velero.create(cluster, pre.proposal.action)).toMatchObject({ created: false });
    expect(await velero.getObject(cluster, pre.proposal.action)).toBeDefined();
  }
  // … and a restore drill with the real drill adapter: preflight (latest), scratch namespace, Restore,
  // verification reads, cleanup (PV, namespace after its label check, Restore).
  const sim = new VeleroSimulator(c).backupContents('nightly-20260104020000', appNamespace('pos'));
  const drills = new KubeDrillActions();
  const id = 'rbacdrill2';
  const drillReq: ProposalRequest = { ...base, kind: 'drill', backup: 'latest', namespaces: ['pos'], card };
  const pre = await runPreflight(id, drillReq, cluster, velero, now, drills);
  if (!pre.ok) throw new Error(`drill preflight failed: ${pre.problem}`);
  const mapping = pre.proposal.drill?.namespaces ?? {};
  for (const ns of Object.values(mapping))
    expect(await drills.createNamespace(cluster, id, ns, scratchLabels(id))).toBe(true);
  expect(await velero.create(cluster, pre.proposal.action)).toEqual({ created: true });
  for (let i = 0; (await velero.getObject(cluster, pre.proposal.action))?.status.phase !== 'Completed'; i++) {
    if (i > 200) throw new Error('the simulated Restore never completed');
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const ns of Object.values(mapping)) await drills.listScratch(cluster, ns);
  const cleaned = await cleanupDrill(drills, cluster, {
    id,
    cluster: cluster.name,
    backup: 'nightly-20260104020000',
    namespaces: mapping,
    restoreName: drillRestoreName(id),
    veleroNamespace: 'velero',
    requester: 'shell:tester',
    stage: 'cleaning',
    approvedAt: now.toISOString(),
  });
  expect(cleaned.leftovers).toEqual([]);
  sim.stop();
  recorded = fake.requests.filter((r) => r.cluster === 'store-rbac');
});

afterAll(async () => {
  await fake?.close();
});

describe('deploy/target-cluster-rbac.yaml', () => {
  it('reads ConfigMaps only by name: cilium-config in kube-system, nothing listed', () => {
    const cms = recorded.filter((r) => /\/configmaps(\/|$)/.test(r.path));
    expect(cms.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /api/v1/namespaces/kube-system/configmaps/cilium-config 200',
    ]);
    const kubeSystem = roles.find((r) => r.metadata.namespace === 'kube-system');
    expect(kubeSystem?.rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['cilium-config'], verbs: ['get'] },
    ]);
    // The same rule would not allow any other ConfigMap, nor a list.
    const other = { method: 'GET', query: {}, status: 200, cluster: 'x' };
    expect(allowed(attributes({ ...other, path: '/api/v1/namespaces/kube-system/configmaps/coredns' }))).toBe(
      false,
    );
    expect(allowed(attributes({ ...other, path: '/api/v1/namespaces/kube-system/configmaps' }))).toBe(false);
    expect(
      allowed(attributes({ ...other, path: '/apis/crd.projectcalico.org/v1/felixconfigurations/node.a' })),
    ).toBe(false);
  });

  it('allows every request of a recorded scan and of approved backup/restore actions', () => {
    expect(recorded.length).toBeGreaterThan(15);
    const denied = recorded.filter((r) => !allowed(attributes(r))).map((r) => `${r.method} ${r.path}`);
    expect(denied).toEqual([]);
    // The run did exercise what matters: the fake answered, and every kind of access appeared.
    // 404 only where a drill makes sure its scratch namespace does not exist yet.
    const notFound = (r: RequestLogEntry) =>
      r.status === 404 && r.method === 'GET' && r.path.startsWith('/api/v1/namespaces/dp-drill-');
    expect(recorded.filter((r) => r.status >= 400 && r.status !== 409 && !notFound(r))).toEqual([]);
    const kinds = new Set(recorded.map((r) => attributes(r).verb));
    expect([...kinds].sort()).toEqual(['create', 'delete', 'get', 'list']);
    expect(recorded.some((r) => r.path === '/readyz' && 'verbose' in r.query)).toBe(true);
    expect(recorded.some((r) => r.query.continue)).toBe(true);
  });

  it('grants nothing the recorded run did not need (exactly the resources the checks read)', () => {
    const used = new Set(
      recorded.map(attributes).map((a) => (a.nonResource ? a.path : `${a.group}/${a.resource}`)),
    );
    const granted = objects
      .flatMap((o) => o.rules ?? [])
      .flatMap((r) => [
        ...(r.nonResourceURLs ?? []).filter((u) => !u.endsWith('*')),
        ...(r.apiGroups ?? []).flatMap((g) => (r.resources ?? []).map((res) => `${g}/${res}`)),
      ]);
    expect(granted.filter((g) => !used.has(g))).toEqual([]);
    // Velero objects are written only in the Velero namespace; besides them only a drill's scratch
    // namespaces and the Retain volumes of its claims are created or deleted.
    const writes = recorded.filter((r) => r.method !== 'GET');
    const outside = writes.filter((r) => {
      const a = attributes(r);
      if (a.nonResource) return true;
      if (a.group === 'velero.io') return a.namespace !== 'velero';
      if (a.resource === 'namespaces')
        return !(r.bodyName ?? r.path.split('/').pop() ?? '').startsWith('dp-drill-rbacdrill2-');
      return !(a.resource === 'persistentvolumes' && a.verb === 'delete');
    });
    expect(outside).toEqual([]);
  });

  it('never grants or touches Secrets, and uses no wildcards', () => {
    const rules = objects.flatMap((o) => o.rules ?? []);
    for (const r of rules) {
      expect(r.resources ?? []).not.toContain('secrets');
      expect([...(r.resources ?? []), ...(r.apiGroups ?? []), ...r.verbs]).not.toContain('*');
      expect(r.verbs).not.toContain('update');
      expect(r.verbs).not.toContain('patch');
    }
    // delete only in the drill roles, only on what a drill makes.
    const deleting = objects.filter((o) => o.rules?.some((r) => r.verbs.includes('delete')));
    expect(deleting.map((o) => o.metadata.name).sort()).toEqual(['dpbot-drill-restores', 'dpbot-drills']);
    const deletable = deleting.flatMap((o) => (o.rules ?? []).filter((r) => r.verbs.includes('delete')));
    expect(deletable.flatMap((r) => r.resources ?? []).sort()).toEqual([
      'namespaces',
      'persistentvolumes',
      'restores',
    ]);
    expect(recorded.filter((r) => /\/secrets(\/|$)/.test(r.path))).toEqual([]);
    // Namespaced roles: cilium-config in kube-system; Velero actions and drill restores in velero.
    expect(roles.map((r) => r.metadata.namespace).sort()).toEqual(['kube-system', 'velero', 'velero']);
  });

  it('binds each role to the dpbot service account', () => {
    for (const role of [...clusterRoles, ...roles]) {
      const binding = objects.find(
        (o) => o.roleRef?.kind === role.kind && o.roleRef.name === role.metadata.name,
      );
      expect(binding?.subjects).toEqual([{ kind: 'ServiceAccount', name: 'dpbot', namespace: 'dpbot' }]);
      if (role.kind === 'Role') expect(binding?.metadata.namespace).toBe(role.metadata.namespace);
    }
  });
});
