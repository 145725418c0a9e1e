/**
 * Secret metadata from Azure Key Vault through `@azure/keyvault-secrets`: `listPropertiesOfSecrets`
 * and, for versions a SecretProviderClass pins, `listPropertiesOfSecretVersions` (`GET
 * /secrets/{name}/versions`, the same `list` permission), page by page (`nextLink`). This class has no
 * way to read a value: it never calls `getSecret` (which returns the value even for one version).
 *
 * Proxy: the SDK's pipeline (core-rest-pipeline `proxyPolicy`, added on Node by default) reads
 * `HTTPS_PROXY`/`https_proxy` (then `ALL_PROXY`, `HTTP_PROXY`) and `NO_PROXY` from the environment, so
 * nothing is configured here; `DefaultAzureCredential` (MSAL) goes through the same pipeline.
 */
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { SecretClient, type SecretClientOptions, type SecretProperties } from '@azure/keyvault-secrets';
import type { Fetched, KeyVaultSecretMeta, Listed } from '../../jobs/checks/snapshot.js';
import type { SecretMetadataSource, VaultRef } from '../../jobs/keyvault-enricher.js';
import { toVaultCollectError } from './key-vault-errors.js';

export interface KeyVaultMetadataSourceOptions {
  /** `keyVault.verifyChallengeResource` from the config (DESIGN §3). @defaultValue true */
  verifyChallengeResource?: boolean;
  /** @defaultValue `new DefaultAzureCredential()` (created on first use) */
  credential?: TokenCredential;
  /** Secrets per page (`maxresults`, at most 25 on Key Vault). @defaultValue 25 */
  pageSize?: number;
  /** Time allowed for listing one vault, all pages. @defaultValue 30 000 ms */
  timeoutMs?: number;
  /** Extra pipeline options, e.g. `tlsOptions.ca` to trust a test CA, `retryOptions`. */
  clientOptions?: Pick<SecretClientOptions, 'tlsOptions' | 'retryOptions' | 'httpClient' | 'proxyOptions'>;
}

export class KeyVaultMetadataSource implements SecretMetadataSource {
  /** One client per vault URL: each keeps its own challenge state and token cache. */
  private readonly clients = new Map<string, SecretClient>();
  private credential?: TokenCredential;

  constructor(private readonly options: KeyVaultMetadataSourceOptions = {}) {}

  async listSecretMetadata(vault: VaultRef): Promise<Listed<KeyVaultSecretMeta>> {
    const abortSignal = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    const items: KeyVaultSecretMeta[] = [];
    try {
      const pages = this.clientFor(vault.url)
        .listPropertiesOfSecrets({ abortSignal })
        .byPage({ maxPageSize: this.options.pageSize ?? 25 });
      for await (const page of pages) {
        for (const p of page) {
          items.push(toMeta(vault.name, p));
        }
      }
      return { ok: true, items };
    } catch (err) {
      return { ok: false, error: toVaultCollectError(err, vault.name) };
    }
  }

  async getSecretVersionMetadata(
    vault: VaultRef,
    name: string,
    version: string,
  ): Promise<Fetched<KeyVaultSecretMeta>> {
    const abortSignal = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    try {
      const pages = this.clientFor(vault.url)
        .listPropertiesOfSecretVersions(name, { abortSignal })
        .byPage({ maxPageSize: this.options.pageSize ?? 25 });
      for await (const page of pages) {
        // Version ids are case-insensitive in Key Vault URLs; compare as the service does.
        const found = page.find((p) => p.version?.toLowerCase() === version.toLowerCase());
        if (found) return { ok: true, value: toMeta(vault.name, found) };
      }
      return {
        ok: false,
        error: {
          reason: 'NotFound',
          message: `Key Vault ${vault.name} has no version ${version} of secret ${name}`,
        },
      };
    } catch (err) {
      return { ok: false, error: toVaultCollectError(err, vault.name) };
    }
  }

  private clientFor(url: string): SecretClient {
    let client = this.clients.get(url);
    if (!client) {
      this.credential ??= this.options.credential ?? new DefaultAzureCredential();
      client = new SecretClient(url, this.credential, {
        ...this.options.clientOptions,
        disableChallengeResourceVerification: this.options.verifyChallengeResource === false,
      });
      this.clients.set(url, client);
    }
    return client;
  }
}

function toMeta(vault: string, p: SecretProperties): KeyVaultSecretMeta {
  return {
    vault,
    name: p.name,
    ...(p.version ? { version: p.version } : {}),
    ...(p.enabled !== undefined ? { enabled: p.enabled } : {}),
    ...(p.createdOn ? { createdOn: p.createdOn.toISOString() } : {}),
    ...(p.updatedOn ? { updatedOn: p.updatedOn.toISOString() } : {}),
    ...(p.expiresOn ? { expiresOn: p.expiresOn.toISOString() } : {}),
  };
}
