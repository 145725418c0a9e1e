/**
 * A realistic edge cluster for the benchmark: ~40 namespaces, 60 PVCs, 5 schedules with 100 backups,
 * 200 SecretSyncs with their SecretProviderClasses, Flux objects, `/readyz?verbose` and `/metrics`.
 * A few variants (healthy, stale backups, failing syncs) are built once, validated against the real
 * CRDs on template clusters, then shared by every simulated cluster (`adopt`), so a thousand clusters
 * cost little memory in the fake.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cond, controller, providerClass, secretSync } from '../test/fakes/key-vault/secret-scenario.js';
import {
  backup,
  backupStorageLocation,
  boundPvc,
  ciliumConfig,
  deployment,
  gitRepository,
  ingress,
  isoAgo,
  kustomization,
  namespace,
  persistentVolume,
  schedule,
  storageClass,
} from '../test/fakes/kube-api/builders.js';
import type { StoredObject } from '../test/fakes/kube-api/fake-cluster.js';
import type { FakeKubeApi } from '../test/fakes/kube-api/fake-kube-api.js';

export const APP_NAMESPACES = 36;
export const SYNCS_PER_CLUSTER = 200;
/** Running Pods per cluster: the app Pods and the controllers' (transit-encryption lists them). */
export const APP_PODS = 90;
const FLUX_CONTROLLERS = [
  'source-controller',
  'kustomize-controller',
  'helm-controller',
  'notification-controller',
];
const SYSTEM_PODS: [string, string][] = [
  ['kube-system', 'coredns'],
  ['kube-system', 'coredns'],
  ['kube-system', 'cilium'],
  ['kube-system', 'cilium-operator'],
  ['kube-system', 'metrics-server'],
  ['kube-system', 'csi-akshcsi-node'],
  ['kube-system', 'csi-akshcsi-controller'],
  ['velero', 'velero'],
  ['velero', 'node-agent'],
  ['azure-secret-store', 'secrets-store-sync-controller-manager'],
  ...FLUX_CONTROLLERS.map((c): [string, string] => ['flux-system', c]),
];
/** Vaults the fleet's SecretProviderClasses name (all served by the one fake Key Vault). */
export const VAULTS = ['kv-fleet-east', 'kv-fleet-west'];

type Variant = 'healthy' | 'stale-backup' | 'sync-failing';
const VARIANTS: Variant[] = ['healthy', 'stale-backup', 'sync-failing'];

const stamp = (minutesAgo: number, now: number) =>
  isoAgo(minutesAgo, now)
    .replace(/[-:TZ]/g, '')
    .slice(0, 14);
const appNs = (i: number) => `app-${String(i % APP_NAMESPACES).padStart(2, '0')}`;
export const secretName = (i: number) => `app-secret-${String(i).padStart(3, '0')}`;

function fixture(name: string): string {
  return readFileSync(resolve('test/fixtures/apiserver', name), 'utf8');
}

/** Pads the fixture `/metrics` with histogram lines to about `kb` KiB, like a real API server's. */
function metricsText(kb: number): string {
  const base = fixture('metrics-kms-v2-rotated.txt');
  const lines: string[] = [base];
  let size = base.length;
  for (let i = 0; size < kb * 1024; i++) {
    const line = `apiserver_request_duration_seconds_bucket{component="apiserver",dry_run="",group="apps",resource="deployments",scope="namespace",subresource="",verb="LIST",version="v1",le="${(i % 40) * 0.025}"} ${1000 + i}\n`;
    lines.push(line);
    size += line.length;
  }
  return lines.join('');
}

/**
 * A Running Pod as an API server returns it (~4 KB of JSON: volumes, probes, resources, tolerations,
 * conditions, container statuses), so the decode cost of the Pods list is like a real cluster's.
 */
function runningPod(namespace: string, app: string, i: number, now: number) {
  const name = `${app}-${(0x5f7c9 + i * 7919).toString(36).slice(-5)}-${(i * 104729).toString(36).slice(-5).padStart(5, 'x')}`;
  const started = isoAgo(3 * 24 * 60 + i, now);
  const container = (c: string) => ({
    name: c,
    image: `registry.example/${c}:1.4.${i % 9}`,
    imagePullPolicy: 'IfNotPresent',
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    env: [
      { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      { name: 'LOG_LEVEL', value: 'info' },
    ],
    resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '50m', memory: '64Mi' } },
    livenessProbe: {
      httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' },
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    },
    readinessProbe: {
      httpGet: { path: '/readyz', port: 'http', scheme: 'HTTP' },
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    },
    volumeMounts: [
      { name: 'data', mountPath: '/data' },
      { name: 'kube-api-access', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
    ],
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  });
  const cond = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: started });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: `${app}-`,
      namespace,
      uid: `0f6c${String(i).padStart(4, '0')}-3c1d-4b1e-9a7e-5d7c2f${String(i).padStart(6, '0')}`,
      resourceVersion: String(100000 + i),
      creationTimestamp: started,
      labels: { app, 'app.kubernetes.io/name': app, 'pod-template-hash': '5f7c9d8b4' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': started },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `${app}-5f7c9d8b4`,
          uid: `rs-${app}`,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      volumes: [
        { name: 'data', emptyDir: {} },
        {
          name: 'kube-api-access',
          projected: {
            defaultMode: 420,
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              {
                downwardAPI: {
                  items: [
                    { path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } },
                  ],
                },
              },
            ],
          },
        },
      ],
      containers: [container(app)],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: app,
      serviceAccount: app,
      nodeName: `node-${i % 3}`,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      schedulerName: 'default-scheduler',
      tolerations: [
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
        {
          key: 'node.kubernetes.io/unreachable',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
    status: {
      phase: 'Running',
      conditions: [
        'PodReadyToStartContainers',
        'Initialized',
        'Ready',
        'ContainersReady',
        'PodScheduled',
      ].map(cond),
      hostIP: `10.0.0.${10 + (i % 3)}`,
      podIP: `10.244.${i % 3}.${10 + (i % 200)}`,
      podIPs: [{ ip: `10.244.${i % 3}.${10 + (i % 200)}` }],
      startTime: started,
      containerStatuses: [
        {
          name: app,
          state: { running: { startedAt: started } },
          lastState: {},
          ready: true,
          restartCount: 0,
          image: `registry.example/${app}:1.4.${i % 9}`,
          imageID: `registry.example/${app}@sha256:${'0123456789abcdef'.repeat(4)}`,
          containerID: `containerd://${'fedcba9876543210'.repeat(4)}`,
          started: true,
        },
      ],
      qosClass: 'Burstable',
    },
  };
}

function buildTemplate(fake: FakeKubeApi, variant: Variant, now: number): StoredObject[] {
  const c = fake.cluster(`template-${variant}`);
  for (const ns of ['velero', 'flux-system', 'azure-secret-store', 'kube-system']) c.put(namespace(ns));
  for (let i = 0; i < APP_NAMESPACES; i++) c.put(namespace(appNs(i)));
  c.put(storageClass('default', 'disk.csi.akshci.com'));
  c.put(storageClass('managed-premium', 'disk.csi.azure.com', { skuName: 'Premium_LRS' }));
  // Bound PVCs with their CSI PersistentVolumes (volume-encryption reads both).
  for (let i = 0; i < 60; i++) {
    const volume = `pvc-${String(i).padStart(4, '0')}-3c1d-4b1e-9a7e-5d7c2f0e9b1a`;
    c.put(boundPvc(`data-${i}`, volume, { namespace: appNs(i) }));
    c.put(
      persistentVolume(
        volume,
        { csi: { driver: 'disk.csi.akshci.com' } },
        {
          claim: `${appNs(i)}/data-${i}`,
          storageClassName: 'default',
          creationTimestamp: isoAgo(30 * 24 * 60, now),
        },
      ),
    );
  }
  // transit-encryption: Cilium with WireGuard, two Ingresses (one with TLS), the Running Pods.
  c.put(ciliumConfig({ wireguard: true }));
  c.put(
    ingress('shop', { namespace: appNs(0), hosts: ['shop.example.com'], tlsHosts: ['shop.example.com'] }),
  );
  c.put(ingress('metrics', { namespace: appNs(1), hosts: ['metrics.example.com'] }));
  for (let i = 0; i < APP_PODS; i++) c.put(runningPod(appNs(i), `app-${i % 45}`, i, now));
  SYSTEM_PODS.forEach(([ns, app], k) => {
    c.put(runningPod(ns, app, APP_PODS + k, now));
  });
  // gitops reads flux-system's controller Deployments.
  for (const d of FLUX_CONTROLLERS) c.put(deployment(d, { namespace: 'flux-system' }));
  c.put(
    backupStorageLocation('default', { status: { phase: 'Available', lastValidationTime: isoAgo(1, now) } }),
  );
  const schedules = ['nightly', 'hourly-pos', 'hourly-inventory', 'weekly-full', 'daily-config'];
  const crons = ['0 2 * * *', '0 * * * *', '30 * * * *', '0 3 * * 0', '0 4 * * *'];
  const stale = variant === 'stale-backup' ? 4 * 24 * 60 : 0;
  schedules.forEach((s, k) => {
    c.put(schedule(s, { spec: { schedule: crons[k] }, creationTimestamp: isoAgo(60 * 24 * 60, now) }));
    for (let b = 0; b < 20; b++) {
      const age = stale + 30 + b * 60 * (k === 3 ? 24 * 7 : k === 0 || k === 4 ? 24 : 1);
      c.put(backup(`${s}-${stamp(age, now)}`, { schedule: s, ageMinutes: age }));
    }
  });
  c.put(controller({ namespace: 'azure-secret-store' }));
  for (let n = 0; n < APP_NAMESPACES; n++) {
    const names: string[] = [];
    for (let i = n; i < SYNCS_PER_CLUSTER; i += APP_NAMESPACES) names.push(secretName(i));
    c.put(
      providerClass(
        'kv-spc',
        names.map((objectName) => ({ objectName })),
        { namespace: appNs(n), vault: VAULTS[n % VAULTS.length] },
      ),
    );
  }
  for (let i = 0; i < SYNCS_PER_CLUSTER; i++) {
    const failing = variant === 'sync-failing' && i % 50 === 0;
    c.put(
      secretSync(secretName(i), {
        namespace: appNs(i),
        spc: 'kv-spc',
        lastSync: isoAgo(30, now),
        ...(failing
          ? {
              conditions: [
                cond('SecretCreated', 'True', 'CreateSuccessful'),
                cond('SecretUpdated', 'False', 'ProviderError', 'vault throttled'),
              ],
            }
          : {}),
      }),
    );
  }
  c.put(gitRepository('cluster-config'));
  for (const k of ['infra', 'apps', 'secrets', 'monitoring', 'policies'])
    c.put(kustomization(k, { spec: { sourceRef: { kind: 'GitRepository', name: 'cluster-config' } } }));
  return c.allObjects();
}

/** Fills clusters `names` on the fake, round-robin over the variants; returns the objects per cluster. */
export function populateFleet(
  fake: FakeKubeApi,
  names: string[],
  opts: { now?: number; metricsKb?: number } = {},
): number {
  const now = opts.now ?? Date.now();
  const templates = new Map(VARIANTS.map((v) => [v, buildTemplate(fake, v, now)]));
  const readyz = fixture('readyz-kms-v2-ok.txt');
  const metrics = metricsText(opts.metricsKb ?? 0);
  names.forEach((name, i) => {
    const c = fake
      .cluster(name)
      .adopt(templates.get(VARIANTS[i % VARIANTS.length])!)
      .setRaw('/readyz', readyz)
      .setRaw('/metrics', metrics);
    // Each store its own prefix, as a real fleet has (a shared one is warned BackupLocationShared).
    const bsl = c.list('backupstoragelocations', 'velero')[0] as StoredObject & { spec?: object };
    c.adopt([{ ...bsl, spec: { ...bsl.spec, objectStorage: { bucket: 'velero', prefix: name } } }]);
  });
  return templates.get('healthy')!.length;
}

/** `store-0001` … */
export function fleetNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `store-${String(i + 1).padStart(4, '0')}`);
}
