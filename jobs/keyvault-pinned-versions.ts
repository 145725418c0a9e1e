/**
 * Fills `snapshot.keyVaultVersions`: the metadata (never the value) of every version a
 * SecretProviderClass pins with `objectVersion`, one read per vault/secret/version. Like vault
 * listings, a read serves the scheduled scans of the next `shareListingMs` (a fleet often pins the
 * same version in one vault); failures are never reused and scans a person asked for read afresh.
 */
import type { ClusterConfig } from '../bot/config.js';
import { secretsInUse } from './checks/secret-provider-objects.js';
import {
  type ClusterSnapshot,
  type Fetched,
  type KeyVaultSecretMeta,
  pinnedVersionKey,
} from './checks/snapshot.js';
import { type KeyVaultEnricherOptions, type SecretMetadataSource, vaultUrl } from './keyvault-enricher.js';

type Read = Fetched<KeyVaultSecretMeta>;

export class PinnedVersionReader {
  private readonly recent = new Map<string, { at: number; read: Promise<Read> }>();

  constructor(
    private readonly source: SecretMetadataSource,
    private readonly options: KeyVaultEnricherOptions,
  ) {}

  async read(
    cluster: ClusterConfig,
    snapshot: ClusterSnapshot,
    nowMs: number,
    fresh: boolean,
  ): Promise<void> {
    if (!this.source.getSecretVersionMetadata) return;
    const pinned = new Map<string, { vault: string; name: string; version: string }>();
    for (const u of secretsInUse(snapshot).used) {
      const version = u.object.objectVersion;
      const name = u.object.objectName;
      if (version) pinned.set(pinnedVersionKey(u.vault, name, version), { vault: u.vault, name, version });
    }
    if (pinned.size === 0) return;
    const entries = await Promise.all(
      [...pinned].map(
        async ([key, p]): Promise<[string, Read]> => [key, await this.one(cluster, p, nowMs, fresh)],
      ),
    );
    snapshot.keyVaultVersions = { ...snapshot.keyVaultVersions, ...Object.fromEntries(entries) };
  }

  private async one(
    cluster: ClusterConfig,
    p: { vault: string; name: string; version: string },
    nowMs: number,
    fresh: boolean,
  ): Promise<Read> {
    const url = vaultUrl(cluster, p.vault, this.options.dnsSuffix);
    // The name comes from cluster data: never let it steer a bearer token to another host.
    if (!url) return failure(`"${p.vault}" is not a valid Key Vault name`);
    const ttl = this.options.shareListingMs ?? 30_000;
    const key = `${url}\u0000${p.name.toLowerCase()}\u0000${p.version}`;
    const recent = this.recent.get(key);
    if (recent && !fresh && nowMs - recent.at < ttl) return recent.read;
    if (this.recent.size > 1024)
      for (const [k, r] of this.recent) if (nowMs - r.at >= ttl) this.recent.delete(k);
    const read = this.fetch(url, p);
    const entry = { at: nowMs, read };
    this.recent.set(key, entry);
    const result = await read;
    if (!result.ok && this.recent.get(key) === entry) this.recent.delete(key);
    return result;
  }

  private async fetch(url: string, p: { vault: string; name: string; version: string }): Promise<Read> {
    try {
      return await this.source.getSecretVersionMetadata!({ name: p.vault, url }, p.name, p.version);
    } catch (err) {
      return failure(err instanceof Error ? err.message : String(err));
    }
  }
}

function failure(message: string): Read {
  return { ok: false, error: { reason: 'ApiError', message } };
}
