/**
 * What the API server's own metrics say about encryption at rest (k8s.io/apiserver/pkg/storage/value):
 * - `apiserver_storage_transformation_operations_total{transformation_type, transformer_prefix, status}`
 *   (plus `resource` since Kubernetes 1.32, kubernetes/kubernetes#126512) counts reads (`from_storage`) and
 *   writes (`to_storage`) per stored prefix. Series exist only once something was read or written through
 *   an EncryptionConfiguration; without one the API server records nothing. `resource` comes from the
 *   request, so reads outside a request (the watch cache filling from etcd at start) carry `resource=""`.
 *   Writes with `identity` first carry `transformer_prefix=""`, reads `"identity"`; a local-key provider
 *   records twice, its outer prefix (`k8s:enc:aescbc:v1:`) and its key's (`key1:`).
 * - KMS v2 only: `apiserver_envelope_encryption_key_id_hash_*{provider_name, key_id_hash, …}`.
 */
import type { MetricSample } from './parse-metrics.js';

export const TRANSFORMATION_OPS = 'apiserver_storage_transformation_operations_total';
export const KEY_ID_HASH_TOTAL = 'apiserver_envelope_encryption_key_id_hash_total';
export const KEY_ID_HASH_LAST_USED = 'apiserver_envelope_encryption_key_id_hash_last_timestamp_seconds';
export const KEY_ID_HASH_STATUS = 'apiserver_envelope_encryption_key_id_hash_status_last_timestamp_seconds';
export const ENCRYPTION_METRICS = [
  TRANSFORMATION_OPS,
  KEY_ID_HASH_TOTAL,
  KEY_ID_HASH_LAST_USED,
  KEY_ID_HASH_STATUS,
] as const;
export const KEY_ID_HASH_METRICS = [KEY_ID_HASH_TOTAL, KEY_ID_HASH_LAST_USED, KEY_ID_HASH_STATUS] as const;

export type ProviderKind = 'kms-v1' | 'kms-v2' | 'local-key' | 'identity' | 'other';

export interface PrefixInfo {
  kind: ProviderKind;
  /** KMS provider name or local key name, when the prefix carries one. */
  name?: string;
  /** `aescbc`, `aesgcm`, `secretbox` for local keys. */
  algorithm?: string;
}

/** `k8s:enc:kms:v2:azurekms:` → kms-v2 `azurekms`; `k8s:enc:aescbc:v1:key1:` → local-key; `identity`. */
export function classifyPrefix(prefix: string): PrefixInfo {
  if (prefix === 'identity' || prefix === '') return { kind: 'identity' };
  const kms = /^k8s:enc:kms:(v1|v2):([^:]*):?$/.exec(prefix);
  if (kms) return { kind: kms[1] === 'v1' ? 'kms-v1' : 'kms-v2', ...(kms[2] ? { name: kms[2] } : {}) };
  const local = /^k8s:enc:(aescbc|aesgcm|secretbox):v1:(?:([^:]*):?)?$/.exec(prefix);
  if (local) return { kind: 'local-key', algorithm: local[1], ...(local[2] ? { name: local[2] } : {}) };
  return { kind: 'other' };
}

export interface PrefixUse extends PrefixInfo {
  prefix: string;
  /** Successful `from_storage` transformations. */
  reads: number;
  /** Successful `to_storage` transformations. */
  writes: number;
  /** Transformations with a status other than `OK`. */
  failures: number;
}

export interface SecretTransformations {
  uses: PrefixUse[];
  /** The series carry a `resource` label, so `uses` counts Secrets only. */
  perResource: boolean;
  /** Any transformation series at all, for any resource. */
  anySeries: boolean;
  /**
   * No series says `resource="secrets"`, so `uses` are the series with an empty resource (reads outside a
   * request, e.g. the watch cache): every resource the EncryptionConfiguration lists, Secrets among them.
   */
  unattributed: boolean;
}

export function secretTransformations(samples: readonly MetricSample[]): SecretTransformations {
  const secrets = new Map<string, PrefixUse>();
  const blank = new Map<string, PrefixUse>();
  let perResource = false;
  let anySeries = false;
  for (const s of samples) {
    if (s.name !== TRANSFORMATION_OPS || !Number.isFinite(s.value)) continue;
    anySeries = true;
    let byPrefix = secrets;
    if ('resource' in s.labels) {
      perResource = true;
      if (s.labels.resource === '') byPrefix = blank;
      else if (s.labels.resource !== 'secrets') continue;
    }
    const prefix = s.labels.transformer_prefix ?? '';
    let use = byPrefix.get(prefix);
    if (!use) {
      use = { prefix, ...classifyPrefix(prefix), reads: 0, writes: 0, failures: 0 };
      byPrefix.set(prefix, use);
    }
    if (s.labels.status !== 'OK') use.failures += s.value;
    else if (s.labels.transformation_type === 'from_storage') use.reads += s.value;
    else if (s.labels.transformation_type === 'to_storage') use.writes += s.value;
  }
  const unattributed = secrets.size === 0 && blank.size > 0;
  return {
    uses: [...(unattributed ? blank : secrets).values()].sort((a, b) => a.prefix.localeCompare(b.prefix)),
    perResource,
    anySeries,
    unattributed,
  };
}

export type KmsKind = 'kms-v1' | 'kms-v2';

/** KMS versions seen in the transformation series of any resource: the version is the API server's. */
export function kmsTransformationVersions(samples: readonly MetricSample[]): {
  writes: Set<KmsKind>;
  reads: Set<KmsKind>;
} {
  const writes = new Set<KmsKind>();
  const reads = new Set<KmsKind>();
  for (const s of samples) {
    if (s.name !== TRANSFORMATION_OPS || !Number.isFinite(s.value) || s.value <= 0) continue;
    const { kind } = classifyPrefix(s.labels.transformer_prefix ?? '');
    if (kind !== 'kms-v1' && kind !== 'kms-v2') continue;
    if (s.labels.transformation_type === 'to_storage') writes.add(kind);
    else reads.add(kind);
  }
  return { writes, reads };
}

export interface KeyIdHashUse {
  provider: string;
  keyIdHash: string;
  /** Latest encrypt/decrypt with this key (ms), over all API servers and directions. */
  lastUsedMs?: number;
  /** Latest Status RPC that returned this key (ms): the plugin's current key. */
  lastStatusMs?: number;
}

/** One entry per provider and key id hash, merged over API servers and transformation types. */
export function keyIdHashes(samples: readonly MetricSample[]): KeyIdHashUse[] {
  const uses = new Map<string, KeyIdHashUse>();
  for (const s of samples) {
    if (!(KEY_ID_HASH_METRICS as readonly string[]).includes(s.name)) continue;
    const keyIdHash = s.labels.key_id_hash;
    if (!keyIdHash) continue;
    const provider = s.labels.provider_name ?? '';
    const id = `${provider}\u0000${keyIdHash}`;
    let use = uses.get(id);
    if (!use) {
      use = { provider, keyIdHash };
      uses.set(id, use);
    }
    if (!Number.isFinite(s.value) || s.value <= 0) continue;
    const ms = s.value * 1000;
    if (s.name === KEY_ID_HASH_LAST_USED) use.lastUsedMs = Math.max(use.lastUsedMs ?? 0, ms);
    if (s.name === KEY_ID_HASH_STATUS) use.lastStatusMs = Math.max(use.lastStatusMs ?? 0, ms);
  }
  return [...uses.values()];
}

/**
 * The provider's current key: the one the plugin's Status call returned last (polled every minute),
 * else the one last used for encryption or decryption.
 */
export function currentKey(uses: readonly KeyIdHashUse[]): KeyIdHashUse | undefined {
  const latest = (pick: (u: KeyIdHashUse) => number | undefined) =>
    uses.reduce<KeyIdHashUse | undefined>((best, u) => {
      const t = pick(u);
      if (t === undefined) return best;
      const bt = best ? pick(best) : undefined;
      return bt === undefined || t > bt ? u : best;
    }, undefined);
  return latest((u) => u.lastStatusMs) ?? latest((u) => u.lastUsedMs) ?? uses[0];
}
