/** One fake cluster: an in-memory object store, which CRDs are installed, raw endpoints, latency. */
import { randomUUID } from 'node:crypto';
import type { CrdCatalog } from './crd-catalog.js';
import { DNS1123_SUBDOMAIN } from './kube-schema.js';
import type { ResourceRegistry, ResourceType } from './resource-types.js';
import { fail } from './status-body.js';

export interface StoredObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    [key: string]: unknown;
  };
  spec?: unknown;
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

/** What tests pass to identify an object: a builder's output works. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

export interface RawEndpoint {
  status: number;
  body: string;
}

let resourceVersion = 1000;
const nextResourceVersion = (): string => String(++resourceVersion);

/** A fresh fake cluster looks like a healthy KMS v2 API server; tests override with setRaw. */
const DEFAULT_READYZ = '[+]ping ok\n[+]log ok\n[+]etcd ok\n[+]kms-providers ok\nreadyz check passed\n';
const KMS_V2 = 'k8s:enc:kms:v2:azurekmsprovider:';
const DEFAULT_METRICS = `${[
  '# TYPE apiserver_storage_transformation_operations_total counter',
  `apiserver_storage_transformation_operations_total{resource="secrets",status="OK",transformation_type="from_storage",transformer_prefix="${KMS_V2}"} 12`,
  `apiserver_storage_transformation_operations_total{resource="secrets",status="OK",transformation_type="to_storage",transformer_prefix="${KMS_V2}"} 3`,
  '# TYPE apiserver_envelope_encryption_key_id_hash_status_last_timestamp_seconds gauge',
  'apiserver_envelope_encryption_key_id_hash_status_last_timestamp_seconds{apiserver_id_hash="sha256:a",key_id_hash="sha256:e234a79331dafed2de104a13ebab1e489793ac144cd87d4c168db82ba41cb9a7",provider_name="azurekmsprovider"} 1.7956944e+09',
].join('\n')}\n`;

export class FakeCluster {
  /** Overrides the server's latency for this cluster. */
  latencyMs?: number;
  private readonly objects = new Map<string, Map<string, StoredObject>>();
  private readonly sortedCache = new Map<string, StoredObject[]>();
  private readonly uninstalled = new Set<string>();
  private readonly createListeners: ((type: ResourceType, obj: StoredObject) => void)[] = [];
  private readonly raw = new Map<string, RawEndpoint>([
    ['/readyz', { status: 200, body: DEFAULT_READYZ }],
    ['/livez', { status: 200, body: 'ok' }],
    ['/metrics', { status: 200, body: DEFAULT_METRICS }],
  ]);

  constructor(
    readonly name: string,
    private readonly registry: ResourceRegistry,
    private readonly catalog: CrdCatalog,
  ) {}

  /** Stores (or replaces) a valid object; throws if it does not match its CRD, so fixtures can't be wrong. */
  put<T extends object>(input: T): T & StoredObject {
    const obj = structuredClone(input) as unknown as StoredObject;
    const type = this.typeOf(obj);
    const problems = this.problems(type, obj);
    if (problems.length)
      throw new Error(
        `fake-kube-api: invalid ${obj.kind} ${obj.metadata?.name}:\n  ${problems.join('\n  ')}`,
      );
    return this.store(type, obj) as T & StoredObject;
  }

  /**
   * Stores objects that `put()` already validated (e.g. on a template cluster) without cloning them,
   * so a benchmark fleet of a thousand clusters can share one set of objects.
   */
  adopt(objects: readonly StoredObject[]): this {
    for (const obj of objects) {
      const type = this.typeOf(obj);
      this.bucket(type).set(objectKey(obj.metadata.namespace, obj.metadata.name), obj);
      this.sortedCache.delete(type.key);
    }
    return this;
  }

  /** Every stored object, of every type (to copy a template cluster with `adopt`). */
  allObjects(): StoredObject[] {
    return [...this.objects.values()].flatMap((b) => [...b.values()]);
  }

  /** Creates as the API does: 409 when it exists; fills uid, resourceVersion, creationTimestamp. */
  create(type: ResourceType, obj: StoredObject): StoredObject {
    const key = objectKey(obj.metadata.namespace, obj.metadata.name);
    if (this.bucket(type).has(key))
      fail(409, `${type.key} "${obj.metadata.name}" already exists`, {
        name: obj.metadata.name,
        group: type.group,
        kind: type.plural,
      });
    const stored = this.store(type, obj);
    for (const l of this.createListeners) l(type, stored);
    return stored;
  }

  /** Called after every API create (e.g. a simulated controller reacting to a new Restore). */
  onCreate(listener: (type: ResourceType, obj: StoredObject) => void): () => void {
    this.createListeners.push(listener);
    return () => {
      this.createListeners.splice(this.createListeners.indexOf(listener), 1);
    };
  }

  delete(ref: ObjectRef): boolean {
    const type = this.typeOf(ref);
    this.sortedCache.delete(type.key);
    const gone = this.bucket(type).delete(objectKey(ref.metadata.namespace, ref.metadata.name));
    // Deleting a namespace deletes what is in it (at once here; a real one is Terminating a while).
    if (gone && type.key === 'namespaces')
      for (const t of this.registry.types)
        if (t.namespaced)
          for (const o of this.list(t, ref.metadata.name)) {
            this.bucket(t).delete(objectKey(o.metadata.namespace, o.metadata.name));
            this.sortedCache.delete(t.key);
          }
    return gone;
  }

  /** Objects of a resource (`backups.velero.io`, `backups` or `Backup`), sorted by namespace/name. */
  list(resource: string | ResourceType, namespace?: string): StoredObject[] {
    const type = typeof resource === 'string' ? this.registry.resolve(resource) : resource;
    let sorted = this.sortedCache.get(type.key);
    if (!sorted) {
      const bucket = this.bucket(type);
      sorted = [...bucket.keys()].sort().map((k) => bucket.get(k)!);
      this.sortedCache.set(type.key, sorted);
    }
    return namespace === undefined ? sorted : sorted.filter((o) => o.metadata.namespace === namespace);
  }

  get(type: ResourceType, namespace: string | undefined, name: string): StoredObject | undefined {
    return this.bucket(type).get(objectKey(namespace, name));
  }

  /** Merges `status` into a stored object (as a controller would), e.g. a Restore's phase → Completed. */
  patchStatus(ref: ObjectRef, status: Record<string, unknown>): StoredObject {
    const type = this.typeOf(ref);
    const current = this.get(type, ref.metadata.namespace, ref.metadata.name);
    if (!current)
      throw new Error(`fake-kube-api: ${type.key} ${ref.metadata.namespace}/${ref.metadata.name} not found`);
    const next = structuredClone(current);
    next.status = { ...(current.status ?? {}), ...status };
    const problems = this.problems(type, next);
    if (problems.length)
      throw new Error(`fake-kube-api: invalid status for ${ref.metadata.name}: ${problems.join('; ')}`);
    next.metadata.resourceVersion = nextResourceVersion();
    this.bucket(type).set(objectKey(ref.metadata.namespace, ref.metadata.name), next);
    this.sortedCache.delete(type.key);
    return next;
  }

  /** Removes CRDs by name (`backups.velero.io`) or whole groups (`velero.io`): their APIs answer 404. */
  uninstall(...crdNamesOrGroups: string[]): this {
    for (const t of this.registry.types)
      if (t.crd && (crdNamesOrGroups.includes(t.key) || crdNamesOrGroups.includes(t.group)))
        this.uninstalled.add(t.key);
    return this;
  }

  install(...crdNamesOrGroups: string[]): this {
    for (const t of this.registry.types)
      if (crdNamesOrGroups.includes(t.key) || crdNamesOrGroups.includes(t.group))
        this.uninstalled.delete(t.key);
    return this;
  }

  isInstalled(type: ResourceType): boolean {
    return !this.uninstalled.has(type.key);
  }

  /** Raw text for a non-resource path such as `/readyz` (any query, e.g. `?verbose`) or `/metrics`. */
  setRaw(path: string, body: string, status = 200): this {
    this.raw.set(path, { status, body });
    return this;
  }

  rawEndpoint(path: string): RawEndpoint | undefined {
    return this.raw.get(path);
  }

  /** Validation problems of an object of `type`, as `field.path: message`. */
  problems(type: ResourceType, obj: StoredObject): string[] {
    const name = obj.metadata?.name;
    if (typeof name !== 'string' || name.length > 253 || !DNS1123_SUBDOMAIN.test(name))
      return [
        `metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`,
      ];
    if (type.namespaced && !obj.metadata.namespace) return ['metadata.namespace: Required value'];
    if (!type.crd) return [];
    return this.catalog.validate(type.crd, obj.apiVersion.split('/')[1], obj);
  }

  private typeOf(obj: { apiVersion?: string; kind?: string }): ResourceType {
    const type = this.registry.fromObject(obj.apiVersion, obj.kind);
    if (!type)
      throw new Error(`fake-kube-api: no resource for apiVersion ${obj.apiVersion} kind ${obj.kind}`);
    return type;
  }

  private store(type: ResourceType, obj: StoredObject): StoredObject {
    obj.metadata.uid ??= randomUUID();
    obj.metadata.creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    obj.metadata.resourceVersion = nextResourceVersion();
    this.bucket(type).set(objectKey(obj.metadata.namespace, obj.metadata.name), obj);
    this.sortedCache.delete(type.key);
    return obj;
  }

  private bucket(type: ResourceType): Map<string, StoredObject> {
    let b = this.objects.get(type.key);
    if (!b) {
      b = new Map();
      this.objects.set(type.key, b);
    }
    return b;
  }
}

function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}
