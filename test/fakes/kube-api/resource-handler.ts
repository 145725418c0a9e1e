/** Kubernetes REST semantics for one cluster: list (selectors, paging), get, create, delete. */
import { discovery } from './discovery.js';
import type { FakeCluster, StoredObject } from './fake-cluster.js';
import { parseLabelSelector } from './label-selector.js';
import type { ResourceRegistry, ResourceType } from './resource-types.js';
import { fail } from './status-body.js';

export interface ApiRequest {
  method: string;
  /** Path inside the cluster, e.g. `/apis/velero.io/v1/namespaces/velero/backups`. */
  path: string;
  query: URLSearchParams;
  body?: unknown;
}

export interface ApiResponse {
  status: number;
  json?: unknown;
  text?: string;
  /** A create carried a `status` (dpbot must never send one). */
  statusSent?: boolean;
}

interface Target {
  type: ResourceType;
  version: string;
  namespace?: string;
  name?: string;
}

function parseTarget(registry: ResourceRegistry, path: string): Target | undefined {
  const seg = path.split('/').filter(Boolean);
  let group: string;
  let rest: string[];
  if (seg[0] === 'api' && seg.length >= 3) [group, rest] = ['', seg.slice(1)];
  else if (seg[0] === 'apis' && seg.length >= 4) [group, rest] = [seg[1], seg.slice(2)];
  else return undefined;
  const [version, ...parts] = rest;
  let namespace: string | undefined;
  if (parts[0] === 'namespaces' && parts.length >= 3) {
    namespace = parts[1];
    parts.splice(0, 2);
  }
  if (parts.length > 2) return undefined; // subresources are not served
  const type = registry.fromPath(group, version, parts[0]);
  if (!type || (namespace && !type.namespaced)) return undefined;
  return { type, version, namespace, name: parts[1] };
}

const continueToken = (offset: number): string =>
  Buffer.from(JSON.stringify({ o: offset })).toString('base64url');

function parseContinue(token: string): number {
  try {
    const o = (JSON.parse(Buffer.from(token, 'base64url').toString()) as { o?: unknown }).o;
    if (typeof o === 'number' && o >= 0) return o;
  } catch {
    // fall through to the 400 below
  }
  fail(400, 'continue key is not valid: malformed token');
}

function fieldFilter(selector: string | null): (o: StoredObject) => boolean {
  if (!selector) return () => true;
  const terms = selector.split(',').map((t) => {
    const m = /^(metadata\.name|metadata\.namespace|status\.phase)(==|=|!=)(.*)$/.exec(t.trim());
    if (!m)
      fail(
        400,
        `"${t}" is not a known field selector: only "metadata.name", "metadata.namespace", "status.phase" (pods)`,
      );
    const [, field, op, value] = m;
    // `status.phase` is a field selector of Pods only, as on a real API server.
    const read = (o: StoredObject) =>
      field === 'status.phase' ? o.status?.phase : o.metadata[field.slice('metadata.'.length)];
    return (o: StoredObject) => (read(o) === value) === (op !== '!=');
  });
  return (o) => terms.every((p) => p(o));
}

function list(cluster: FakeCluster, t: Target, query: URLSearchParams): ApiResponse {
  let matches: (labels: Record<string, string> | undefined) => boolean;
  try {
    matches = parseLabelSelector(query.get('labelSelector') ?? undefined);
  } catch (err) {
    fail(400, (err as Error).message);
  }
  const byField = fieldFilter(query.get('fieldSelector'));
  const all = cluster.list(t.type, t.namespace).filter((o) => matches(o.metadata.labels) && byField(o));
  // `resourceVersion=0` without `continue` is served from the API server's watch cache, which ignores
  // `limit` and answers the whole list in one page (a `continue` goes to etcd, as here).
  const fromCache = query.get('resourceVersion') === '0' && !query.get('continue');
  const limit = fromCache ? 0 : Number(query.get('limit') ?? 0);
  const start = query.get('continue') ? parseContinue(query.get('continue')!) : 0;
  const end = limit > 0 ? start + limit : all.length;
  const metadata: Record<string, unknown> = { resourceVersion: String(Date.now()) };
  if (end < all.length) {
    metadata.continue = continueToken(end);
    metadata.remainingItemCount = all.length - end;
  }
  const apiVersion = t.type.group ? `${t.type.group}/${t.version}` : t.version;
  return { status: 200, json: { apiVersion, kind: t.type.listKind, metadata, items: all.slice(start, end) } };
}

function create(cluster: FakeCluster, t: Target, body: unknown): ApiResponse {
  if (!body || typeof body !== 'object') fail(400, 'the request body must be a JSON object');
  const obj = structuredClone(body) as StoredObject;
  const statusSent = obj.status !== undefined;
  obj.metadata ??= {} as StoredObject['metadata'];
  if (t.namespace) {
    if (obj.metadata.namespace && obj.metadata.namespace !== t.namespace)
      fail(400, 'the namespace of the provided object does not match the namespace sent on the request');
    obj.metadata.namespace = t.namespace;
  }
  const apiVersion = t.type.group ? `${t.type.group}/${t.version}` : t.version;
  if (obj.apiVersion !== apiVersion || obj.kind !== t.type.kind)
    fail(
      400,
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersion})`,
    );
  // With a status subresource the server drops status on create; without one it keeps it.
  if (t.type.crd?.hasStatusSubresource) delete obj.status;
  const problems = cluster.problems(t.type, obj);
  if (problems.length) {
    const causes = problems.map((p) => {
      const i = p.indexOf(': ');
      return { reason: 'FieldValueInvalid', message: p.slice(i + 2), field: p.slice(0, i) };
    });
    fail(422, `${t.type.kind}.${t.type.group} "${obj.metadata.name}" is invalid: ${problems.join(', ')}`, {
      name: obj.metadata.name,
      group: t.type.group,
      kind: t.type.kind,
      causes,
    });
  }
  return { status: 201, json: cluster.create(t.type, obj), statusSent };
}

/** Routes one in-cluster request; throws StatusError for API errors. */
export function handleResourceRequest(
  cluster: FakeCluster,
  registry: ResourceRegistry,
  req: ApiRequest,
): ApiResponse {
  const raw = cluster.rawEndpoint(req.path);
  if (raw && req.method === 'GET') return { status: raw.status, text: raw.body };
  if (req.method === 'GET') {
    const doc = discovery(cluster, registry, req.path);
    if (doc) return { status: 200, json: doc };
  }
  const t = parseTarget(registry, req.path);
  if (!t || !cluster.isInstalled(t.type)) fail(404, 'the server could not find the requested resource');
  const what = t.type.key;
  if (req.method === 'GET' && !t.name) return list(cluster, t, req.query);
  if (req.method === 'GET' && t.name) {
    const obj = cluster.get(t.type, t.namespace, t.name);
    if (!obj)
      fail(404, `${what} "${t.name}" not found`, { name: t.name, group: t.type.group, kind: t.type.plural });
    return { status: 200, json: obj };
  }
  if (req.method === 'POST' && !t.name) {
    if (t.type.namespaced && !t.namespace)
      fail(405, 'the server does not allow this method on the requested resource');
    return create(cluster, t, req.body);
  }
  if (req.method === 'DELETE' && t.name) {
    const obj = cluster.get(t.type, t.namespace, t.name);
    if (!obj)
      fail(404, `${what} "${t.name}" not found`, { name: t.name, group: t.type.group, kind: t.type.plural });
    cluster.delete(obj);
    return { status: 200, json: obj };
  }
  fail(405, 'the server does not allow this method on the requested resource');
}
