/** deploy/: the overlays render, kubectl accepts them (client dry-run), and they keep dpbot's rules. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildConfig } from '../../../bot/config.js';
import { dryRunApply, findKubectl, type K8sObject, kubectlOnPath, parseObjects, render } from './kubectl.js';

const DEPLOY = join(__dirname, '../../../deploy');
const OVERLAYS = ['production', 'trial'];
// The dry-run tests need kubectl; without it they are skipped and say so in their names.
const KUBECTL = kubectlOnPath();
const itWithKubectl = KUBECTL ? it : it.skip;
const NEEDS_KUBECTL = KUBECTL ? '' : ' [skipped: kubectl not on PATH]';
let kubectl: string | undefined;
const rendered = new Map<string, string>();
const objects = (overlay: string) => parseObjects(rendered.get(overlay) ?? '');
const deployments = (overlay: string) => objects(overlay).filter((o) => o.kind === 'Deployment');
const dpbotDeployments = (overlay: string) =>
  deployments(overlay).filter(
    (d) => d.metadata.name.startsWith('dpbot-') && d.metadata.name !== 'dpbot-redis',
  );

beforeAll(async () => {
  kubectl = await findKubectl();
  // Said once: without kubectl the overlays are rendered by the test and only checked structurally.
  if (!kubectl) console.warn('kubectl not found: manifests checked structurally, without kubectl dry-run');
  for (const o of OVERLAYS) rendered.set(o, await render(kubectl, join(DEPLOY, 'overlays', o)));
}, 60_000);

describe('deploy manifests', () => {
  itWithKubectl.each(OVERLAYS)(
    `%s passes kubectl apply --dry-run=client${NEEDS_KUBECTL}`,
    async (overlay) => {
      const out = await dryRunApply(KUBECTL ?? 'kubectl', rendered.get(overlay) ?? '');
      expect(out).toMatch(/deployment\.apps\/dpbot-web (created|configured) \(dry run\)/);
      expect(out).toMatch(/deployment\.apps\/dpbot-worker (created|configured) \(dry run\)/);
      expect(out).toMatch(/service\/dpbot-web (created|configured) \(dry run\)/);
    },
    60_000,
  );

  itWithKubectl(
    `target-cluster-rbac.yaml passes kubectl apply --dry-run=client${NEEDS_KUBECTL}`,
    async () => {
      const out = await dryRunApply(
        KUBECTL ?? 'kubectl',
        readFileSync(join(DEPLOY, 'target-cluster-rbac.yaml'), 'utf8'),
      );
      expect(out).toMatch(/clusterrole\.rbac\.authorization\.k8s\.io\/dpbot-reader created \(dry run\)/);
      expect(out).toMatch(/role\.rbac\.authorization\.k8s\.io\/dpbot-velero-actions created \(dry run\)/);
    },
    60_000,
  );

  it.each(OVERLAYS)('%s runs a web and a worker Deployment, non-root, read-only, probed', (overlay) => {
    const ds = dpbotDeployments(overlay);
    expect(ds.map((d) => d.metadata.name).sort()).toEqual(['dpbot-web', 'dpbot-worker']);
    for (const d of deployments(overlay)) {
      const pod = d.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const c of pod.containers) {
        expect(c.securityContext).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
      }
    }
    for (const d of ds) {
      const [c] = d.spec.template.spec.containers;
      const role = d.metadata.name.replace('dpbot-', '');
      expect(c.args).toEqual(['--role', role]);
      expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
      const env = Object.fromEntries(c.env.map((e: { name: string }) => [e.name, e]));
      // Workers serve their probes only when PORT is set.
      expect(env.PORT.value).toBe('3000');
      expect(env.REDIS_URL.valueFrom.secretKeyRef).toEqual({ name: 'dpbot-redis', key: 'url' });
      expect(c.envFrom).toEqual([{ secretRef: { name: 'dpbot-credentials' } }]);
      const mounts = c.volumeMounts.map((m: { mountPath: string }) => m.mountPath);
      expect(mounts).toContain('/tmp');
      expect(env.DPBOT_CONFIG.value.startsWith('/etc/dpbot/config/')).toBe(true);
      expect(mounts).toContain('/etc/dpbot/config');
      // GC flags are the worker's (BENCHMARKS.md round 4); the web role's acks got slower with heap flags.
      if (role === 'worker') expect(env.NODE_OPTIONS?.value).toBe('--single-threaded-gc');
      else expect(env.NODE_OPTIONS).toBeUndefined();
    }
  });

  it.each(OVERLAYS)('%s: the Service reaches the web pods, and config holds no secrets', (overlay) => {
    const all = objects(overlay);
    const svc = all.find((o) => o.kind === 'Service' && o.metadata.name === 'dpbot-web') as K8sObject;
    const web = all.find((o) => o.metadata.name === 'dpbot-web' && o.kind === 'Deployment') as K8sObject;
    for (const [k, v] of Object.entries(svc.spec.selector))
      expect(web.spec.template.metadata.labels[k]).toBe(v);
    expect(svc.spec.ports[0].targetPort).toBe('http');
    for (const cm of all.filter((o) => o.kind === 'ConfigMap'))
      expect(JSON.stringify(cm.data)).not.toMatch(
        /xox[abp]-|password|token:|secret:|BEGIN [A-Z ]*PRIVATE KEY/i,
      );
    expect(
      all.every(
        (o) =>
          o.kind === 'Namespace' || o.metadata.namespace === `dpbot${overlay === 'trial' ? '-trial' : ''}`,
      ),
    ).toBe(true);
  });

  it('the ConfigMap config is a valid dpbot config whose kubeconfigs are mounted on the workers', () => {
    const cm = objects('production').find((o) => o.kind === 'ConfigMap') as K8sObject;
    const config = buildConfig(parse(cm.data?.['config.yaml'] ?? ''), 'deploy/base/configmap.yaml');
    const worker = dpbotDeployments('production').find(
      (d) => d.metadata.name === 'dpbot-worker',
    ) as K8sObject;
    const mounts = worker.spec.template.spec.containers[0].volumeMounts as { mountPath: string }[];
    for (const c of config.clusters)
      expect(mounts.some((m) => c.kubeconfig?.startsWith(`${m.mountPath}/`))).toBe(true);
  });

  it('production uses an external Redis; trial brings its own, noeviction and non-root', () => {
    expect(deployments('production').some((d) => d.metadata.name === 'dpbot-redis')).toBe(false);
    expect(objects('production').some((o) => o.kind === 'Secret')).toBe(false);
    const redis = deployments('trial').find((d) => d.metadata.name === 'dpbot-redis') as K8sObject;
    expect(redis.spec.template.spec.containers[0].args).toEqual(
      expect.arrayContaining(['--maxmemory-policy', 'noeviction']),
    );
    expect(objects('trial').find((o) => o.kind === 'Secret')?.metadata.name).toBe('dpbot-redis');
    expect(dpbotDeployments('trial').every((d) => d.spec.replicas === 1)).toBe(true);
  });
});
