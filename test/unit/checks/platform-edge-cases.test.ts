/**
 * secrets-at-rest and kek-rotation on states real platforms pass through, built from the platform
 * fixtures (test/fixtures/platforms): right after a restart, with the automatic-reload no-op check,
 * with only watch-cache reads, with a failing plugin behind the aggregated check.
 */
import { checkKekRotation } from '../../../jobs/checks/kek-rotation.js';
import { checkSecretsAtRest } from '../../../jobs/checks/secrets-at-rest.js';
import { type PlatformName, platformFile } from '../../fixtures/platforms/platforms.js';
import { apiserverSnapshot, NOW, SETTINGS, text } from './apiserver-snapshot.js';

const readyz = (p: PlatformName) => text(platformFile(p, 'readyz-verbose.txt'));
const metrics = (p: PlatformName) => text(platformFile(p, 'metrics.txt'));
/** A platform's /metrics without any transformation series: nothing read or written since start. */
const noTransformations = (p: PlatformName) =>
  text(
    platformFile(p, 'metrics.txt')
      .split('\n')
      .filter((l) => !l.includes('apiserver_storage_transformation_operations_total'))
      .join('\n'),
  );
/** A platform's /metrics keeping only the reads outside a request (`resource=""`, the watch cache). */
const onlyWatchCacheReads = (p: PlatformName) =>
  text(
    platformFile(p, 'metrics.txt')
      .split('\n')
      .filter((l) => !/^apiserver_storage_transformation_operations_total\{resource="secrets"/.test(l))
      .join('\n'),
  );
const run = (r: ReturnType<typeof text>, m: ReturnType<typeof text>) => {
  const s = apiserverSnapshot(r, m);
  return {
    atRest: checkSecretsAtRest(s, NOW, SETTINGS).map((f) => [f.status, f.reason, f.message]),
    kek: checkKekRotation(s, NOW, SETTINGS).map((f) => [f.status, f.reason]),
  };
};

describe('encryption checks on real platform states', () => {
  it('K3s with automatic reload and nothing transformed yet: kms-providers is a no-op, not KMS', () => {
    const { atRest, kek } = run(
      readyz('k3s-secrets-encryption'),
      noTransformations('k3s-secrets-encryption'),
    );
    // Before: "a KMS plugin is configured and healthy (kms-providers)" — ok for a cluster without KMS.
    expect(atRest).toEqual([
      ['warn', 'EncryptionNotObservable', expect.stringMatching(/with or without a KMS plugin/)],
    ]);
    expect(kek).toEqual([]);
  });

  it('K3s aescbc: the key name comes from the per-key series, no KMS claimed', () => {
    const { atRest, kek } = run(readyz('k3s-secrets-encryption'), metrics('k3s-secrets-encryption'));
    expect(atRest).toEqual([
      [
        'warn',
        'LocalKeyEncryption',
        expect.stringMatching(/encrypted with a local aescbc key aescbckey from/),
      ],
    ]);
    expect(kek).toEqual([]);
  });

  it('Kubernetes 1.32 right after a restart: only watch-cache reads (resource="") — still Secrets', () => {
    // Before: "encrypts other resources but not Secrets" (fail, an alert) on a fully encrypted cluster.
    const { atRest, kek } = run(readyz('aks-kms-v2'), onlyWatchCacheReads('aks-kms-v2'));
    expect(atRest).toEqual([
      ['ok', 'KmsEncryption', expect.stringMatching(/KMS v2 provider azurekmsprovider/)],
    ]);
    expect(kek.map(([, reason]) => reason)).toEqual(['ApiError']); // no first-seen store in a unit test
    const k3s = run(readyz('k3s-secrets-encryption'), onlyWatchCacheReads('k3s-secrets-encryption'));
    expect(k3s.atRest.map(([s, r]) => [s, r])).toEqual([['warn', 'LocalKeyEncryption']]);
  });

  it('AKS on Azure Local restarted, nothing transformed yet: not claimed to be KMS, never unknown', () => {
    const { atRest, kek } = run(readyz('aks-azure-local'), noTransformations('aks-azure-local'));
    expect(atRest.map(([s, r]) => [s, r])).toEqual([['warn', 'EncryptionNotObservable']]);
    expect(kek).toEqual([]);
  });

  it('AKS on Azure Local with its plugin failing behind the aggregated check', () => {
    const failing = platformFile('aks-azure-local', 'readyz-verbose.txt')
      .replace('[+]kms-providers ok', '[-]kms-providers failed: reason withheld')
      .replace('readyz check passed', 'readyz check failed');
    const { atRest, kek } = run(text(failing), metrics('aks-azure-local'));
    expect(atRest.map(([s, r]) => [s, r])).toEqual([['fail', 'KmsProviderUnhealthy']]);
    expect(kek).toEqual([['ok', 'PlatformManagedRotation']]);
  });

  it('KMS v2 before key ids, restarted: the per-provider probe proves KMS; its version is not visible', () => {
    const { atRest, kek } = run(readyz('kms-v2-before-key-ids'), noTransformations('kms-v2-before-key-ids'));
    expect(atRest.map(([s, r]) => [s, r])).toEqual([['ok', 'KmsEncryption']]);
    // Before 1.27 a kms-provider-N probe may be KMS v2: not claimed to be v1.
    expect(kek.map(([, r]) => r)).toEqual(['KeyRotationNotObservable']);
  });
});
