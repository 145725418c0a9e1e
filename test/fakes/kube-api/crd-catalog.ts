/**
 * The real CRDs (../shared/fixtures/crds) turned into ajv validators, so the fake rejects exactly what a
 * real API server with `fieldValidation=Strict` would: unknown fields, wrong types, bad enums.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { extraCrdFiles } from './extra-crds.js';
import { toJsonSchema } from './kube-schema.js';

export interface CrdVersion {
  name: string;
  schema: Record<string, unknown>;
}

export interface CrdDefinition {
  /** `backups.velero.io` */
  name: string;
  group: string;
  kind: string;
  listKind: string;
  plural: string;
  namespaced: boolean;
  hasStatusSubresource: boolean;
  versions: CrdVersion[];
}

/** Where the CRDs live: `DPBOT_CRDS_DIR`, else `<repo>/../shared/fixtures/crds`. */
export function findCrdDir(): string | undefined {
  if (process.env.DPBOT_CRDS_DIR)
    return existsSync(process.env.DPBOT_CRDS_DIR) ? process.env.DPBOT_CRDS_DIR : undefined;
  // Walk up to package.json: works under jest (CJS) and tsx (ESM) alike, no import.meta needed.
  let dir = process.cwd();
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  const crds = resolve(dir, '../shared/fixtures/crds');
  return existsSync(crds) ? crds : undefined;
}

function listYaml(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listYaml(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

interface RawCrd {
  kind?: string;
  metadata: { name: string };
  spec: {
    group: string;
    scope: string;
    names: { kind: string; listKind?: string; plural: string };
    versions: {
      name: string;
      served: boolean;
      schema?: { openAPIV3Schema?: Record<string, unknown> };
      subresources?: { status?: unknown };
    }[];
  };
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** CRD definitions plus validators compiled once per CRD version and shared by every fake instance. */
export class CrdCatalog {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor(
    readonly definitions: CrdDefinition[],
    /** False when no CRD dir was found: objects are stored unvalidated. */
    readonly validating: boolean,
  ) {
    this.ajv.addFormat('date-time', RFC3339);
    for (const f of ['int32', 'int64', 'double', 'float', 'byte', 'int-or-string'])
      this.ajv.addFormat(f, true);
  }

  private static shared?: CrdCatalog;

  static load(): CrdCatalog {
    if (CrdCatalog.shared) return CrdCatalog.shared;
    const dir = findCrdDir();
    if (!dir) {
      console.warn(
        'fake-kube-api: CRD directory not found (set DPBOT_CRDS_DIR or provide ../shared/fixtures/crds); custom objects are NOT validated',
      );
      CrdCatalog.shared = new CrdCatalog(BUILTIN_FALLBACK, false);
      return CrdCatalog.shared;
    }
    const defs: CrdDefinition[] = [];
    // Plus the repo's own test/fixtures/crds-extra (Istio, Calico), validated the same way.
    for (const file of [...listYaml(dir), ...extraCrdFiles()]) {
      const raw = parseYaml(readFileSync(file, 'utf8')) as RawCrd;
      if (raw?.kind !== 'CustomResourceDefinition') continue;
      const s = raw.spec;
      const served = s.versions.filter((v) => v.served);
      defs.push({
        name: raw.metadata.name,
        group: s.group,
        kind: s.names.kind,
        listKind: s.names.listKind ?? `${s.names.kind}List`,
        plural: s.names.plural,
        namespaced: s.scope === 'Namespaced',
        hasStatusSubresource: served.some((v) => v.subresources?.status !== undefined),
        versions: served.map((v) => ({ name: v.name, schema: v.schema?.openAPIV3Schema ?? {} })),
      });
    }
    CrdCatalog.shared = new CrdCatalog(defs, true);
    return CrdCatalog.shared;
  }

  find(group: string, plural: string): CrdDefinition | undefined {
    return this.definitions.find((d) => d.group === group && d.plural === plural);
  }

  /** Problems as `field.path: message`, empty when valid. */
  validate(def: CrdDefinition, version: string, obj: unknown): string[] {
    if (!this.validating) return [];
    const key = `${def.name}/${version}`;
    let validate = this.validators.get(key);
    if (!validate) {
      const v = def.versions.find((x) => x.name === version);
      if (!v) return [`apiVersion: ${def.group}/${version} is not served for ${def.name}`];
      validate = this.ajv.compile(toJsonSchema(v.schema));
      this.validators.set(key, validate);
    }
    if (validate(obj)) return [];
    return (validate.errors ?? []).map((e) => {
      const path = e.instancePath.slice(1).replace(/\//g, '.') || '<root>';
      if (e.keyword === 'additionalProperties') {
        const field = (e.params as { additionalProperty: string }).additionalProperty;
        return `${path === '<root>' ? '' : `${path}.`}${field}: field not declared in schema`;
      }
      return `${path}: ${e.message}`;
    });
  }
}

/** Without CRD files the fake still needs to route the same resources. */
const BUILTIN_FALLBACK: CrdDefinition[] = [
  ['velero.io', 'Backup', 'backups', 'v1'],
  ['velero.io', 'Restore', 'restores', 'v1'],
  ['velero.io', 'Schedule', 'schedules', 'v1'],
  ['velero.io', 'BackupStorageLocation', 'backupstoragelocations', 'v1'],
  ['secret-sync.x-k8s.io', 'SecretSync', 'secretsyncs', 'v1alpha1'],
  ['secrets-store.csi.x-k8s.io', 'SecretProviderClass', 'secretproviderclasses', 'v1'],
  ['source.toolkit.fluxcd.io', 'GitRepository', 'gitrepositories', 'v1'],
  ['kustomize.toolkit.fluxcd.io', 'Kustomization', 'kustomizations', 'v1'],
].map(([group, kind, plural, version]) => ({
  name: `${plural}.${group}`,
  group,
  kind,
  listKind: `${kind}List`,
  plural,
  namespaced: true,
  hasStatusSubresource: true,
  versions: [{ name: version, schema: {} }],
}));
