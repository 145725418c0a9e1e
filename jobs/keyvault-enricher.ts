/**
 * Fills `snapshot.keyVaultSecrets` with the metadata (never values) of every Key Vault the cluster's
 * SecretSyncs read from, and `snapshot.keyVaultVersions` with the metadata of every version a
 * SecretProviderClass pins (`objectVersion`), through the `SecretMetadataSource` port
 * (adapters/keyvault implements it).
 */
import type { ClusterConfig } from '../bot/config.js';
import { vaultsInUse } from './checks/secret-provider-objects.js';
import type { ClusterSnapshot, Fetched, KeyVaultSecretMeta, Listed } from './checks/snapshot.js';
import { PinnedVersionReader } from './keyvault-pinned-versions.js';
import type { SnapshotEnricher } from './scan-job.js';

export interface VaultRef {
  /** The SecretProviderClass `keyvaultName`. */
  name: string;
  url: string;
}

/** Port: lists secret metadata of one vault. Never throws: failures come back as a CollectError. */
export interface SecretMetadataSource {
  listSecretMetadata(vault: VaultRef): Promise<Listed<KeyVaultSecretMeta>>;
  /**
   * Metadata of one version of a secret (never its value). Error reason `NotFound` when the vault has
   * no such secret or version. Sources without it leave pinned versions unread (checks say unknown).
   */
  getSecretVersionMetadata?(
    vault: VaultRef,
    name: string,
    version: string,
  ): Promise<Fetched<KeyVaultSecretMeta>>;
}

export interface KeyVaultEnricherOptions {
  /** `keyVault.dnsSuffix` from the config, for vaults not listed in `cluster.keyVaults`. */
  dnsSuffix: string;
  /**
   * How long one vault's listing serves every cluster scanned meanwhile. A fleet often shares a few
   * vaults: without this, 1,000 clusters on one vault list it 1,000 times per round (8,000 requests for
   * 200 secrets), into Key Vault's throttling. Failed listings are never reused, and scans a person asked
   * for (`/dp status`, `--refresh`) always list afresh. @defaultValue 30 000 ms
   */
  shareListingMs?: number;
}

/** Key Vault naming rules: 3–24 characters, letters, digits and single hyphens, starting with a letter. */
const VAULT_NAME = /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;

export class KeyVaultEnricher implements SnapshotEnricher {
  /** By vault name and URL: the listing in flight, or done, started at `at` (ms). */
  private readonly recent = new Map<string, { at: number; listing: Promise<Listed<KeyVaultSecretMeta>> }>();

  private readonly pinned: PinnedVersionReader;

  constructor(
    private readonly source: SecretMetadataSource,
    private readonly options: KeyVaultEnricherOptions,
  ) {
    this.pinned = new PinnedVersionReader(source, options);
  }

  async enrich(
    cluster: ClusterConfig,
    snapshot: ClusterSnapshot,
    now: Date,
    opts: { fresh?: boolean } = {},
  ): Promise<void> {
    const vaults = vaultsInUse(snapshot);
    if (vaults.length === 0) return;
    const results = await Promise.all(
      vaults.map((name) => this.list(cluster, name, now.getTime(), opts.fresh ?? false)),
    );
    snapshot.keyVaultSecrets = { ...snapshot.keyVaultSecrets };
    vaults.forEach((name, i) => {
      snapshot.keyVaultSecrets![name] = results[i];
    });
    await this.pinned.read(cluster, snapshot, now.getTime(), opts.fresh ?? false);
  }

  private async list(
    cluster: ClusterConfig,
    name: string,
    nowMs: number,
    fresh: boolean,
  ): Promise<Listed<KeyVaultSecretMeta>> {
    const url = vaultUrl(cluster, name, this.options.dnsSuffix);
    if (!url) {
      // The name comes from cluster data: never let it steer a bearer token to another host.
      return {
        ok: false,
        error: {
          reason: 'ApiError',
          message: `"${name}" is not a valid Key Vault name; fix keyvaultName in the SecretProviderClass or map it in clusters[].keyVaults`,
        },
      };
    }
    const ttl = this.options.shareListingMs ?? 30_000;
    const key = `${name}\u0000${url}`;
    const recent = this.recent.get(key);
    // A scan a person asked for lists afresh (and leaves its listing for the scans after it).
    if (recent && !fresh && nowMs - recent.at < ttl) return recent.listing;
    if (this.recent.size > 256)
      for (const [k, r] of this.recent) if (nowMs - r.at >= ttl) this.recent.delete(k);
    const listing = this.fetch(name, url);
    const entry = { at: nowMs, listing };
    this.recent.set(key, entry);
    const result = await listing;
    if (!result.ok && this.recent.get(key) === entry) this.recent.delete(key);
    return result;
  }

  private async fetch(name: string, url: string): Promise<Listed<KeyVaultSecretMeta>> {
    try {
      return await this.source.listSecretMetadata({ name, url });
    } catch (err) {
      return {
        ok: false,
        error: { reason: 'ApiError', message: err instanceof Error ? err.message : String(err) },
      };
    }
  }
}

/** `cluster.keyVaults[name]`, else `https://<name>.<dnsSuffix>` when `name` is a valid vault name. */
export function vaultUrl(cluster: ClusterConfig, name: string, dnsSuffix: string): string | undefined {
  const configured = cluster.keyVaults[name] ?? cluster.keyVaults[name.toLowerCase()];
  if (configured) return configured.replace(/\/+$/, '');
  return VAULT_NAME.test(name) ? `https://${name.toLowerCase()}.${dnsSuffix}` : undefined;
}
