/**
 * Which Key Vault secrets a cluster actually uses: SecretSync → `spec.secretProviderClassName` (same
 * namespace) → SecretProviderClass `spec.parameters` (Azure provider: `keyvaultName`, and `objects`,
 * a YAML string holding `array:`, a list of YAML strings, one per object).
 *
 * `objectType: secret` and `cert` are kept: a Key Vault certificate is backed by a secret of the same
 * name and version, which `listPropertiesOfSecrets` returns with the certificate's dates. `key` is
 * skipped — keys are not secrets and their metadata needs another permission.
 */
import { parse as parseYaml } from 'yaml';
import type { CheckName, Finding } from './finding.js';
import { listErrorFinding } from './list-error.js';
import type {
  ClusterSnapshot,
  CollectError,
  KeyVaultSecretMeta,
  SecretProviderClass,
  SecretSync,
} from './snapshot.js';

export interface ProviderObject {
  objectName: string;
  objectType: string;
  /** Empty = "latest", which rotation follows; anything else is pinned. */
  objectVersion: string;
  objectAlias?: string;
}

export interface ParsedProviderClass {
  vault?: string;
  objects: ProviderObject[];
  /** Why some or all of the objects could not be read; the rest are still used. */
  problems: string[];
}

/** Parses an SPC's parameters without ever throwing. */
export function parseProviderParameters(
  parameters: Record<string, unknown> | undefined,
): ParsedProviderClass {
  const problems: string[] = [];
  const vaultRaw = parameters?.keyvaultName;
  const vault = typeof vaultRaw === 'string' && vaultRaw.trim() ? vaultRaw.trim() : undefined;
  if (!vault) problems.push('parameters.keyvaultName is missing');
  const text = parameters?.objects;
  if (typeof text !== 'string' || text.trim() === '') {
    problems.push('parameters.objects is empty');
    return { vault, objects: [], problems };
  }
  const outer = safeYaml(text);
  const array = isRecord(outer) ? outer.array : undefined;
  if (!Array.isArray(array)) {
    problems.push('parameters.objects is not YAML with an `array:` list');
    return { vault, objects: [], problems };
  }
  const objects: ProviderObject[] = [];
  array.forEach((entry, i) => {
    // Each entry is itself a YAML string; tolerate an already-structured map too.
    const item = typeof entry === 'string' ? safeYaml(entry) : entry;
    const name = isRecord(item) ? item.objectName : undefined;
    if (!isRecord(item) || typeof name !== 'string' || name.trim() === '') {
      problems.push(`parameters.objects array[${i}] has no objectName`);
      return;
    }
    const alias = str(item.objectAlias);
    objects.push({
      objectName: name.trim(),
      objectType: (str(item.objectType) || 'secret').toLowerCase(),
      objectVersion: str(item.objectVersion),
      ...(alias ? { objectAlias: alias } : {}),
    });
  });
  return { vault, objects, problems };
}

/** One Key Vault object that one SecretSync puts into the cluster. */
export interface UsedSecret {
  /** `namespace/name` of the SecretSync. */
  sync: string;
  secretSync: SecretSync;
  providerClass: string;
  vault: string;
  object: ProviderObject;
}

export interface SecretUsage {
  used: UsedSecret[];
  /** SecretSyncs whose Key Vault objects could not be resolved, with the reason. */
  unresolved: { sync: string; why: string }[];
}

const SYNCED_TYPES = new Set(['secret', 'cert']);

/**
 * Parsed parameters per SecretProviderClass object. A scan resolves ~200 SecretSyncs through ~40 SPCs
 * three times (enricher, freshness, expiry); YAML parsing each time was most of a scan's CPU.
 * Snapshot objects are never mutated, so the object itself is the key.
 */
const parsedCache = new WeakMap<object, ParsedProviderClass>();
/** Same text, same result: SPCs rarely change between scans and are often identical across a fleet. */
const parsedByText = new Map<string, ParsedProviderClass>();
const MAX_TEXTS = 5000;

function parsedProviderClass(spc: SecretProviderClass): ParsedProviderClass {
  let parsed = parsedCache.get(spc);
  if (parsed) return parsed;
  const raw = spc.spec?.parameters;
  const params = typeof raw === 'object' && raw !== null ? raw : undefined;
  const { keyvaultName, objects } = params ?? {};
  const key =
    typeof keyvaultName === 'string' && typeof objects === 'string'
      ? `${keyvaultName}\u0000${objects}`
      : undefined;
  parsed = (key && parsedByText.get(key)) || parseProviderParameters(params);
  if (key && !parsedByText.has(key)) {
    if (parsedByText.size >= MAX_TEXTS) parsedByText.clear();
    parsedByText.set(key, parsed);
  }
  parsedCache.set(spc, parsed);
  return parsed;
}

/**
 * The last resolution per SecretSync list (a scan asks four times: vaults for the enricher, pinned
 * versions, freshness, expiry). Snapshot lists are never mutated, so same two arrays, same answer;
 * callers only read the result.
 */
const usageCache = new WeakMap<object, { spcs: readonly unknown[]; usage: SecretUsage }>();

/** Resolves every SecretSync to the Key Vault objects it syncs. Needs both lists to be `ok`. */
export function secretsInUse(snapshot: ClusterSnapshot): SecretUsage {
  const syncs = snapshot.secretSyncs?.ok ? snapshot.secretSyncs.items : [];
  const spcs = snapshot.secretProviderClasses?.ok ? snapshot.secretProviderClasses.items : [];
  const cached = usageCache.get(syncs);
  if (cached && cached.spcs === spcs) return cached.usage;
  const usage = resolveUsage(syncs, spcs);
  usageCache.set(syncs, { spcs, usage });
  return usage;
}

function resolveUsage(syncs: readonly SecretSync[], spcs: readonly SecretProviderClass[]): SecretUsage {
  const usage: SecretUsage = { used: [], unresolved: [] };
  // First SPC of each namespace/name wins, as a linear search would pick it.
  const byName = new Map<string, SecretProviderClass>();
  for (const c of spcs) {
    const key = `${c?.metadata?.namespace ?? 'default'}/${c?.metadata?.name}`;
    if (c?.metadata?.name && !byName.has(key)) byName.set(key, c);
  }
  for (const ss of syncs) {
    if (!ss?.metadata?.name) continue;
    const ns = ss.metadata.namespace ?? 'default';
    const sync = `${ns}/${ss.metadata.name}`;
    const spcName =
      typeof ss.spec?.secretProviderClassName === 'string' ? ss.spec.secretProviderClassName : undefined;
    const spc = spcName ? byName.get(`${ns}/${spcName}`) : undefined;
    if (!spcName || !spc) {
      const why = spcName
        ? `SecretProviderClass ${ns}/${spcName} not found`
        : 'spec.secretProviderClassName is empty';
      usage.unresolved.push({ sync, why });
      continue;
    }
    const parsed = parsedProviderClass(spc);
    if (!parsed.vault || parsed.objects.length === 0) {
      usage.unresolved.push({
        sync,
        why: `SecretProviderClass ${ns}/${spcName}: ${parsed.problems.join('; ')}`,
      });
      continue;
    }
    for (const object of referencedObjects(ss, parsed.objects)) {
      if (!SYNCED_TYPES.has(object.objectType)) continue;
      usage.used.push({ sync, secretSync: ss, providerClass: spcName, vault: parsed.vault, object });
    }
  }
  return usage;
}

/** Vault names the cluster's SecretSyncs read from. */
export function vaultsInUse(snapshot: ClusterSnapshot): string[] {
  return [...new Set(secretsInUse(snapshot).used.map((u) => u.vault))].sort();
}

/** Objects named by the SecretSync's `data[].sourcePath` (file name = alias or object name); all when none match. */
function referencedObjects(ss: SecretSync, objects: ProviderObject[]): ProviderObject[] {
  const data = ss.spec?.secretObject?.data;
  const paths = new Set((Array.isArray(data) ? data : []).map((d) => d?.sourcePath).filter(Boolean));
  const picked = objects.filter((o) => paths.has(o.objectAlias ?? o.objectName) || paths.has(o.objectName));
  return picked.length > 0 ? picked : objects;
}

/** A Key Vault listing that failed: `unknown`, saying which permission is missing when it is one. */
export function vaultErrorFinding<C extends CheckName>(
  check: C,
  vault: string,
  error: CollectError,
): Finding<C> {
  const reason = error.reason === 'NotFound' ? 'ApiError' : error.reason;
  const fix =
    error.reason === 'Forbidden'
      ? `; grant dpbot's identity ${error.missingRule ?? 'the Key Vault secrets `list` permission'} (metadata only — never get)`
      : '';
  return {
    check,
    status: 'unknown',
    reason,
    message: `cannot list secret metadata in Key Vault ${vault}: ${error.message}${fix} — cannot verify`,
    resource: `keyvault/${vault}`,
    evidence: { vault, error: error.message, missingRule: error.missingRule ?? null },
  };
}

type KvCheck = Extract<CheckName, 'secret-freshness' | 'secret-expiry'>;

/** Findings that stop a Key Vault check before it starts (lists missing or unreadable), else undefined. */
export function prerequisiteFindings(check: KvCheck, snapshot: ClusterSnapshot): Finding[] | undefined {
  const syncs = snapshot.secretSyncs;
  const spcs = snapshot.secretProviderClasses;
  if (!syncs || !spcs) {
    return [
      {
        check,
        status: 'unknown',
        reason: 'ApiError',
        message: `SecretSyncs and SecretProviderClasses were not collected for this scan — cannot verify ${check}`,
      } satisfies Finding,
    ];
  }
  if (!syncs.ok && syncs.error.reason !== 'NotFound')
    return [listErrorFinding(check, 'secret-sync.x-k8s.io SecretSyncs in all namespaces', syncs.error)];
  if (!spcs.ok && spcs.error.reason !== 'NotFound')
    return [
      listErrorFinding(
        check,
        'secrets-store.csi.x-k8s.io SecretProviderClasses in all namespaces',
        spcs.error,
      ),
    ];
  return undefined;
}

/** A vault listing indexed by lower-cased name (first wins, as a search would): 200 syncs × 200 secrets. */
const vaultIndexes = new WeakMap<readonly KeyVaultSecretMeta[], Map<string, KeyVaultSecretMeta>>();

function byLowerName(items: readonly KeyVaultSecretMeta[]): Map<string, KeyVaultSecretMeta> {
  let index = vaultIndexes.get(items);
  if (!index) {
    index = new Map();
    for (const m of items) {
      const key = typeof m?.name === 'string' ? m.name.toLowerCase() : undefined;
      if (key !== undefined && !index.has(key)) index.set(key, m);
    }
    vaultIndexes.set(items, index);
  }
  return index;
}

/**
 * The Key Vault metadata of a used secret, or the finding that replaces it. A failed vault yields its
 * finding once (tracked in `failedVaults`), then `undefined` for its other secrets.
 */
export function lookupSecret(
  check: KvCheck,
  snapshot: ClusterSnapshot,
  u: UsedSecret,
  failedVaults: Set<string>,
): { meta: KeyVaultSecretMeta } | { finding: Finding } | { missing: true } | undefined {
  if (failedVaults.has(u.vault)) return undefined;
  const listed = snapshot.keyVaultSecrets?.[u.vault];
  if (!listed) {
    failedVaults.add(u.vault);
    return {
      finding: {
        check,
        status: 'unknown',
        reason: 'ApiError',
        message: `Key Vault ${u.vault} was not read in this scan (is the Key Vault enricher configured?) — cannot verify ${check}`,
        resource: `keyvault/${u.vault}`,
      },
    };
  }
  if (!listed.ok) {
    failedVaults.add(u.vault);
    return { finding: vaultErrorFinding(check, u.vault, listed.error) };
  }
  // Key Vault names are case-insensitive.
  const meta = byLowerName(listed.items).get(u.object.objectName.toLowerCase());
  if (meta) return { meta };
  // The listing is complete and names every secret that exists (disabled ones too; deleted ones are
  // only in the soft-delete list), so absent = deleted or never created. secret-expiry reports it.
  return { missing: true };
}

/** A used secret (or pinned version) that the vault does not have: its SecretSyncs cannot sync it. */
export function missingSecretFinding(users: UsedSecret[], version?: string): Finding {
  const { vault, object } = users[0];
  const name = object.objectName;
  const usedBy = [...new Set(users.map((u) => u.sync))].join(', ');
  const what = version ? `version ${version} of secret ${name}` : `secret ${name}`;
  return {
    check: 'secret-expiry',
    status: 'fail',
    reason: 'SecretDisabled',
    message: `${what} is not in Key Vault ${vault} (deleted, or never created under this name), so ${usedBy} cannot sync it; the Secret keeps its last value until then — recover it (az keyvault secret recover --vault-name ${vault} --name ${name}) or fix objectName/objectVersion in SecretProviderClass ${users[0].providerClass}`,
    resource: `keyvault/${vault}/${name}${version ? `/${version}` : ''}`,
    evidence: { vault, secret: name, version: version ?? null, inVault: false, usedBy },
  };
}

export function unresolvedFinding(check: KvCheck, sync: string, why: string): Finding {
  return {
    check,
    status: 'unknown',
    reason: 'ApiError',
    message: `cannot tell which Key Vault secrets SecretSync ${sync} uses: ${why} — cannot verify ${check}`,
    resource: sync,
  };
}

function safeYaml(text: string): unknown {
  try {
    return parseYaml(text);
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
}
