/**
 * The real CRDs (../shared/fixtures/crds) turned into ajv validators, so the fake rejects exactly what a
 * real API server with `fieldValidation=Strict` would: unknown fields, wrong types, bad enums.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { crdLocation, crdsAnnounced, HOW_TO_GET_CRDS, readCrdLock } from '../../support/crd-locator.js';
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
  /** Kept in the repo (test/fixtures/crds-extra): validated even on a run without the shared CRDs. */
  inRepo?: boolean;
}

/** Where the CRDs live: see test/support/crd-locator.ts (DPBOT_CRDS_DIR, ../shared, test/.crds). */
export function findCrdDir(): string | undefined {
  const crds = crdLocation();
  return crds.found ? crds.dir : undefined;
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
      // Under jest, globalSetup has said it once for the run; the demo and bench say it here.
      const crds = crdLocation();
      const why = crds.found ? '' : crds.reason;
      if (!crdsAnnounced())
        console.warn(
          `fake-kube-api: custom objects are NOT validated, no CRDs (${why}); get them with ${HOW_TO_GET_CRDS}`,
        );
      // The in-repo extra CRDs (Istio, Calico) are always there, so they are served and validated all the same.
      const extra = readCrdFiles(extraCrdFiles()).map((d) => ({ ...d, inRepo: true }));
      CrdCatalog.shared = new CrdCatalog([...builtinFallback(), ...extra], false);
      return CrdCatalog.shared;
    }
    // Plus the repo's own test/fixtures/crds-extra (Istio, Calico), validated the same way.
    const defs = readCrdDefinitions(dir, extraCrdFiles());
    CrdCatalog.shared = new CrdCatalog(defs, true);
    return CrdCatalog.shared;
  }

  find(group: string, plural: string): CrdDefinition | undefined {
    return this.definitions.find((d) => d.group === group && d.plural === plural);
  }

  /** Problems as `field.path: message`, empty when valid. */
  validate(def: CrdDefinition, version: string, obj: unknown): string[] {
    if (!this.validating && !def.inRepo) return [];
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

/** Every CustomResourceDefinition in the YAML files under dir (served versions only). */
export function readCrdDefinitions(dir: string, extraFiles: string[] = []): CrdDefinition[] {
  return readCrdFiles([...listYaml(dir), ...extraFiles]);
}

/** The CustomResourceDefinitions in these YAML files (other documents are passed over). */
export function readCrdFiles(files: string[]): CrdDefinition[] {
  const defs: CrdDefinition[] = [];
  for (const file of files) {
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
  return defs;
}

/**
 * Without CRD files the fake still routes the same resources the same way (scope, served versions,
 * status subresource), taken from test/crds.lock.json; crd-lock.test.ts checks them against the real CRDs.
 */
const builtinFallback = (): CrdDefinition[] =>
  readCrdLock().map((e) => ({
    name: `${e.plural}.${e.group}`,
    group: e.group,
    kind: e.kind,
    listKind: `${e.kind}List`,
    plural: e.plural,
    namespaced: e.namespaced,
    hasStatusSubresource: e.statusSubresource,
    versions: e.served.map((name) => ({ name, schema: {} })),
  }));
