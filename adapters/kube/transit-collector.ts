/**
 * Reads the evidence of encryption in transit (DESIGN §6 `transit-encryption`) and only that: two
 * objects by name (`kube-system/cilium-config`, FelixConfiguration `default`; RBAC `resourceNames`,
 * never all ConfigMaps), PeerAuthentications, Ingresses, and Running Pods reduced to summaries page
 * by page. A 404 on a named object (the object or its API absent) means "not installed".
 */
import type { CollectError, Fetched, Listed } from '../../jobs/checks/snapshot.js';
import {
  CILIUM_CONFIG,
  CILIUM_ENCRYPTION_KEYS,
  type CiliumConfig,
  FELIX_CONFIGURATION_NAME,
  type FelixConfiguration,
  type Ingress,
  MESH_ANNOTATIONS,
  type PeerAuthentication,
  type PodSummary,
  type TransitSnapshot,
} from '../../jobs/checks/transit-objects.js';
import type { KubeClient, KubeResource } from './kube-client.js';
import { KubeApiError, type RuleDescription, toCollectError } from './kube-errors.js';

const res = (group: string, plural: string, namespaced: boolean, version = 'v1'): KubeResource => ({
  group,
  version,
  plural,
  namespaced,
});

export const TRANSIT_RESOURCES = {
  configMaps: res('', 'configmaps', true),
  felixConfigurations: res('crd.projectcalico.org', 'felixconfigurations', false),
  peerAuthentications: res('security.istio.io', 'peerauthentications', true),
  ingresses: res('networking.k8s.io', 'ingresses', true),
  pods: res('', 'pods', true),
} as const;

interface RawPod {
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: { containers?: { name?: string }[]; initContainers?: { name?: string }[] };
}

/** A Pod as the check needs it: names, labels, container names, mesh annotations. */
export function summarisePod(pod: RawPod): PodSummary | undefined {
  const name = pod?.metadata?.name;
  const namespace = pod?.metadata?.namespace;
  if (typeof name !== 'string' || typeof namespace !== 'string') return undefined;
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]
    .map((c) => c?.name)
    .filter((n): n is string => typeof n === 'string');
  const summary: PodSummary = { namespace, name, containers };
  if (pod.metadata?.labels) summary.labels = pod.metadata.labels;
  const annotations = pod.metadata?.annotations ?? {};
  const mesh = MESH_ANNOTATIONS.filter((a) => typeof annotations[a] === 'string');
  if (mesh.length > 0) summary.meshAnnotations = Object.fromEntries(mesh.map((a) => [a, annotations[a]]));
  return summary;
}

function trimCiliumConfig(cm: CiliumConfig): CiliumConfig {
  const data = Object.fromEntries(
    CILIUM_ENCRYPTION_KEYS.filter((k) => typeof cm.data?.[k] === 'string').map((k) => [k, cm.data![k]]),
  );
  return { metadata: { name: cm.metadata?.name, namespace: cm.metadata?.namespace }, data };
}

/** Keeps the hosts of rules and TLS entries only; paths and backends are not needed. */
function trimIngress(ing: Ingress): Ingress | undefined {
  if (!ing?.metadata?.name) return undefined;
  const spec = ing.spec ?? {};
  return {
    metadata: { name: ing.metadata.name, namespace: ing.metadata.namespace },
    spec: {
      ...(spec.ingressClassName ? { ingressClassName: spec.ingressClassName } : {}),
      ...(spec.tls ? { tls: spec.tls.map((t) => ({ hosts: t?.hosts, secretName: t?.secretName })) } : {}),
      ...(spec.rules ? { rules: spec.rules.map((r) => ({ host: r?.host })) } : {}),
      ...(spec.defaultBackend ? { defaultBackend: true } : {}),
    },
  };
}

/** Every read runs concurrently; each one that fails is said in its own field, never thrown. */
export async function collectTransit(client: KubeClient): Promise<TransitSnapshot> {
  const r = TRANSIT_RESOURCES;
  const [ciliumConfig, felixConfiguration, peerAuthentications, ingresses, pods] = await Promise.all([
    getByName<CiliumConfig>(
      client,
      r.configMaps,
      CILIUM_CONFIG.namespace,
      CILIUM_CONFIG.name,
      `core configmaps "${CILIUM_CONFIG.name}" in namespace ${CILIUM_CONFIG.namespace}`,
      trimCiliumConfig,
    ),
    getByName<FelixConfiguration>(
      client,
      r.felixConfigurations,
      undefined,
      FELIX_CONFIGURATION_NAME,
      `crd.projectcalico.org felixconfigurations "${FELIX_CONFIGURATION_NAME}"`,
      (f) => ({ metadata: { name: f.metadata?.name }, spec: f.spec }),
    ),
    // Few and configuration-like: from the watch cache (resourceVersion=0; see FROM_CACHE).
    listMapped<PeerAuthentication, PeerAuthentication>(
      client,
      r.peerAuthentications,
      { fromCache: true },
      (p) => (p?.metadata?.name ? p : undefined),
    ),
    listMapped<Ingress, Ingress>(client, r.ingresses, { fromCache: true }, trimIngress),
    listMapped<RawPod, PodSummary>(client, r.pods, { fieldSelector: 'status.phase=Running' }, summarisePod),
  ]);
  return { ciliumConfig, felixConfiguration, peerAuthentications, ingresses, pods };
}

/** The reads that failed (a 404 is "not installed", not a failure), for the debug log. */
export function transitFailures(t: TransitSnapshot): CollectError[] {
  return Object.values(t).flatMap((r: Fetched<unknown> | Listed<unknown>) => (r.ok ? [] : [r.error]));
}

async function getByName<T>(
  client: KubeClient,
  resource: KubeResource,
  namespace: string | undefined,
  name: string,
  target: string,
  trim: (value: T) => T,
): Promise<Fetched<T | null>> {
  try {
    return { ok: true, value: trim(await client.get<T>(resource, namespace, name)) };
  } catch (err) {
    if (err instanceof KubeApiError && err.statusCode === 404) return { ok: true, value: null };
    return { ok: false, error: toCollectError(err, { verb: 'get', target }) };
  }
}

async function listMapped<T, S>(
  client: KubeClient,
  resource: KubeResource,
  opts: { fieldSelector?: string; fromCache?: boolean },
  map: (item: T) => S | undefined,
): Promise<Listed<S>> {
  try {
    return { ok: true, items: await client.listMapped<T, S>(resource, opts, map) };
  } catch (err) {
    const rule: RuleDescription = {
      verb: 'list',
      target: `${resource.group || 'core'} ${resource.plural} in all namespaces`,
    };
    return { ok: false, error: toCollectError(err, rule) };
  }
}
