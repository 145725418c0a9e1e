/**
 * kubectl for the manifest tests: render kustomize overlays, and `apply --dry-run=client` against a
 * loopback server that only answers discovery (client dry-run still maps kinds through the API).
 * Without kubectl the overlays are rendered here (bases, resources, namespace, replicas patches).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';

const run = promisify(execFile);

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // Manifests are free-form YAML; each test narrows what it reads.
  // biome-ignore lint/suspicious/noExplicitAny: see above
  spec?: any;
  data?: Record<string, string>;
}

export async function findKubectl(): Promise<string | undefined> {
  try {
    await run('kubectl', ['version', '--client']);
    return 'kubectl';
  } catch {
    return undefined;
  }
}

/** The same, synchronously: tests are registered (or skipped, by name) before beforeAll runs. */
export function kubectlOnPath(): string | undefined {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore', timeout: 20_000 });
    return 'kubectl';
  } catch {
    return undefined;
  }
}

export async function render(kubectl: string | undefined, dir: string): Promise<string> {
  if (kubectl) return (await run(kubectl, ['kustomize', dir])).stdout;
  return renderLocally(dir)
    .map((o) => `---\n${JSON.stringify(o)}`)
    .join('\n');
}

export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => Boolean(o));
}

/** The subset of kustomize the overlays use, for machines without kubectl. */
function renderLocally(dir: string): K8sObject[] {
  const k = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'));
  const out: K8sObject[] = [];
  for (const base of k.bases ?? []) out.push(...renderLocally(join(dir, base)));
  for (const r of k.resources ?? []) {
    const p = join(dir, r);
    if (existsSync(join(p, 'kustomization.yaml'))) out.push(...renderLocally(p));
    else out.push(...parseObjects(readFileSync(p, 'utf8')));
  }
  for (const p of k.patchesStrategicMerge ?? [])
    for (const patch of parseObjects(readFileSync(join(dir, p), 'utf8'))) {
      const target = out.find((o) => o.kind === patch.kind && o.metadata.name === patch.metadata.name);
      if (target && patch.spec?.replicas !== undefined) target.spec.replicas = patch.spec.replicas;
    }
  for (const g of k.secretGenerator ?? [])
    out.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: g.name }, data: {} });
  if (k.namespace) for (const o of out) if (o.kind !== 'Namespace') o.metadata.namespace = k.namespace;
  return out;
}

const list = (groupVersion: string, resources: [string, string, boolean][]) => ({
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion,
  resources: resources.map(([name, kind, namespaced]) => ({
    name,
    singularName: '',
    namespaced,
    kind,
    verbs: ['create', 'get', 'list', 'patch'],
  })),
});
const DISCOVERY: Record<string, unknown> = {
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] },
  '/apis': {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: ['apps', 'policy', 'rbac.authorization.k8s.io'].map((name) => ({
      name,
      versions: [{ groupVersion: `${name}/v1`, version: 'v1' }],
      preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' },
    })),
  },
  '/api/v1': list('v1', [
    ['namespaces', 'Namespace', false],
    ['services', 'Service', true],
    ['configmaps', 'ConfigMap', true],
    ['secrets', 'Secret', true],
    ['serviceaccounts', 'ServiceAccount', true],
  ]),
  '/apis/apps/v1': list('apps/v1', [['deployments', 'Deployment', true]]),
  '/apis/policy/v1': list('policy/v1', [['poddisruptionbudgets', 'PodDisruptionBudget', true]]),
  '/apis/rbac.authorization.k8s.io/v1': list('rbac.authorization.k8s.io/v1', [
    ['clusterroles', 'ClusterRole', false],
    ['clusterrolebindings', 'ClusterRoleBinding', false],
    ['roles', 'Role', true],
    ['rolebindings', 'RoleBinding', true],
  ]),
};

/** `kubectl apply --dry-run=client -f <file>`; live objects are all absent (404), so each is "created". */
export async function dryRunApply(kubectl: string, manifests: string): Promise<string> {
  const server = createServer((req, res) => {
    const body = DISCOVERY[(req.url ?? '/').split('?')[0]];
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        body ?? { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 },
      ),
    );
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const dir = mkdtempSync(join(tmpdir(), 'dpbot-kubectl-'));
  const file = join(dir, 'manifests.yaml');
  writeFileSync(file, manifests);
  const kubeconfig = join(dirname(file), 'kubeconfig');
  const server_ = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'discovery', cluster: { server: server_ } }],
      users: [{ name: 'u', user: {} }],
      contexts: [{ name: 'c', context: { cluster: 'discovery', user: 'u' } }],
      'current-context': 'c',
    }),
  );
  try {
    const { stdout } = await run(kubectl, [
      'apply',
      '--dry-run=client',
      '--validate=false',
      `--kubeconfig=${kubeconfig}`,
      `--cache-dir=${join(dir, 'cache')}`,
      '-f',
      file,
    ]);
    return stdout;
  } finally {
    server.close();
  }
}
