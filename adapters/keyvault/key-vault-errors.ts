/**
 * Turns a Key Vault / Azure identity failure into a CollectError whose message says what to fix.
 * Listing metadata needs only the secrets `list` permission (access policy) or, with Azure RBAC, a
 * role holding `Microsoft.KeyVault/vaults/secrets/readMetadata/action` such as Key Vault Reader —
 * dpbot never needs `get` (values).
 */
import type { CollectError } from '../../jobs/checks/snapshot.js';

export const LIST_PERMISSION =
  'secrets `list` permission (access policy) or an Azure RBAC role with secrets/readMetadata, e.g. "Key Vault Reader"';

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
}

export function toVaultCollectError(err: unknown, vault: string): CollectError {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as ErrorLike;
  const message = firstLine(e.message ?? String(err));
  if (e.name === 'AbortError' || e.name === 'TimeoutError')
    return { reason: 'Timeout', message: `listing timed out (${message})` };
  if (e.name === 'CredentialUnavailableError' || e.name === 'AggregateAuthenticationError')
    return {
      reason: 'ApiError',
      message: `no Azure credential is available to dpbot (${message}); set AZURE_CLIENT_ID/workload identity/managed identity`,
    };
  if (e.name === 'AuthenticationError')
    return { reason: 'ApiError', message: `Azure sign-in failed (${message})` };
  if (message.includes('challenge resource'))
    return {
      reason: 'ApiError',
      message: `${message} — for a private endpoint or a local vault set keyVault.verifyChallengeResource: false`,
    };
  const status = e.statusCode;
  if (status === 403)
    return {
      reason: 'Forbidden',
      message: `Key Vault ${vault} refused to list secrets (${e.code ?? 'Forbidden'})`,
      missingRule: LIST_PERMISSION,
    };
  if (status === 401)
    return {
      reason: 'Forbidden',
      message: `Key Vault ${vault} did not accept dpbot's token (${e.code ?? 'Unauthorized'}); check the tenant of the identity`,
      missingRule: LIST_PERMISSION,
    };
  // A secret's own 404 (its versions listed after it was deleted) names the secret, not the vault.
  if (status === 404 && e.code === 'SecretNotFound')
    return { reason: 'NotFound', message: `the secret is not in Key Vault ${vault} (${message})` };
  if (status === 404) return { reason: 'ApiError', message: `Key Vault ${vault} was not found (${message})` };
  if (status === 429 || (status !== undefined && status >= 500))
    return { reason: 'ApiError', message: `Key Vault ${vault} answered ${status} (${message})` };
  if (e.code && /^(ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|EHOSTUNREACH)$/.test(e.code))
    return {
      reason: 'ApiError',
      message: `cannot reach Key Vault ${vault} (${e.code}); check DNS, HTTPS_PROXY/NO_PROXY and firewall`,
    };
  if (e.code && /CERT|UNABLE_TO_VERIFY|SELF_SIGNED/.test(e.code))
    return {
      reason: 'ApiError',
      message: `the TLS certificate of Key Vault ${vault} is not trusted (${message}); behind a TLS-inspecting proxy add its CA with NODE_EXTRA_CA_CERTS`,
    };
  return { reason: 'ApiError', message };
}

function firstLine(text: string): string {
  const line = text.split('\n')[0].trim();
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}
