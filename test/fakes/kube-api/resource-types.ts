/** The resources the fake serves: a few built-ins plus every CRD in the catalog. */
import type { CrdCatalog, CrdDefinition } from './crd-catalog.js';

export interface ResourceType {
  /** `backups.velero.io`, or the bare plural for the core group (`namespaces`). */
  key: string;
  /** '' for the core group. */
  group: string;
  versions: string[];
  plural: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  /** Set for custom resources: validated against the CRD schema. */
  crd?: CrdDefinition;
}

const BUILTIN: [group: string, version: string, plural: string, kind: string, namespaced: boolean][] = [
  ['', 'v1', 'namespaces', 'Namespace', false],
  ['', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true],
  ['', 'v1', 'persistentvolumes', 'PersistentVolume', false],
  ['storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false],
  ['apps', 'v1', 'deployments', 'Deployment', true],
  // Restore drills (DESIGN §10): what a drill verifies in its scratch namespaces.
  ['', 'v1', 'pods', 'Pod', true],
  ['', 'v1', 'services', 'Service', true],
  ['', 'v1', 'configmaps', 'ConfigMap', true],
  ['apps', 'v1', 'statefulsets', 'StatefulSet', true],
  ['apps', 'v1', 'daemonsets', 'DaemonSet', true],
  ['batch', 'v1', 'jobs', 'Job', true],
  ['batch', 'v1', 'cronjobs', 'CronJob', true],
  ['networking.k8s.io', 'v1', 'ingresses', 'Ingress', true],
  ['storage.k8s.io', 'v1', 'csidrivers', 'CSIDriver', false],
];

export class ResourceRegistry {
  readonly types: ResourceType[];
  private readonly byPath = new Map<string, ResourceType>();
  private readonly byKind = new Map<string, ResourceType>();

  constructor(catalog: CrdCatalog) {
    const builtins = BUILTIN.map(([group, version, plural, kind, namespaced]) => ({
      key: group ? `${plural}.${group}` : plural,
      group,
      versions: [version],
      plural,
      kind,
      listKind: `${kind}List`,
      namespaced,
    }));
    const custom = catalog.definitions.map((crd) => ({
      key: crd.name,
      group: crd.group,
      versions: crd.versions.map((v) => v.name),
      plural: crd.plural,
      kind: crd.kind,
      listKind: crd.listKind,
      namespaced: crd.namespaced,
      crd,
    }));
    this.types = [...builtins, ...custom];
    for (const t of this.types) {
      for (const v of t.versions) {
        this.byPath.set(`${t.group}/${v}/${t.plural}`, t);
        this.byKind.set(`${t.group ? `${t.group}/` : ''}${v}|${t.kind}`, t);
      }
    }
  }

  /** From a URL: group ('' = core), version and plural. */
  fromPath(group: string, version: string, plural: string): ResourceType | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  fromObject(apiVersion: string | undefined, kind: string | undefined): ResourceType | undefined {
    return this.byKind.get(`${apiVersion}|${kind}`);
  }

  /** By key (`backups.velero.io`), plural (`backups`) or kind (`Backup`). */
  resolve(name: string): ResourceType {
    const t =
      this.types.find((x) => x.key === name) ??
      this.types.find((x) => x.plural === name) ??
      this.types.find((x) => x.kind === name);
    if (!t) throw new Error(`fake-kube-api: unknown resource ${name}`);
    return t;
  }
}
