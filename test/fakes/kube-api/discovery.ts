/**
 * Legacy discovery (`/api`, `/apis`, `/api/v1`, `/apis/<group>/<version>`), as kubectl needs it to map
 * `backups.velero.io` to a REST path. Only installed types are listed, like a real API server.
 */
import type { FakeCluster } from './fake-cluster.js';
import type { ResourceRegistry, ResourceType } from './resource-types.js';

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

/** The discovery document for `path`, or undefined when `path` is not a discovery path. */
export function discovery(cluster: FakeCluster, registry: ResourceRegistry, path: string): unknown {
  const installed = registry.types.filter((t) => cluster.isInstalled(t));
  if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
  if (path === '/apis') {
    const groups = new Map<string, string[]>();
    for (const t of installed) {
      if (!t.group) continue;
      const versions = groups.get(t.group) ?? [];
      for (const v of t.versions) if (!versions.includes(v)) versions.push(v);
      groups.set(t.group, versions);
    }
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...groups].map(([name, versions]) => ({
        name,
        versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      })),
    };
  }
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (!m) return undefined;
  const group = m[2] ?? '';
  const version = m[1] ?? m[3];
  const types = installed.filter((t) => t.group === group && t.versions.includes(version));
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: types.map((t: ResourceType) => ({
      name: t.plural,
      singularName: t.kind.toLowerCase(),
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: VERBS,
    })),
  };
}
