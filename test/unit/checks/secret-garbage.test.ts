import { checkSecretExpiry } from '../../../jobs/checks/secret-expiry.js';
import { checkSecretFreshness } from '../../../jobs/checks/secret-freshness.js';
import { checkSecretSync } from '../../../jobs/checks/secret-sync.js';
import type { CheckSettings } from '../../../jobs/checks/settings.js';
import type { ClusterSnapshot } from '../../../jobs/checks/snapshot.js';
import { NOW, providerClass, secretSync, snapshot } from '../../fakes/key-vault/secret-scenario.js';

const junk = [null, 7, 'x', { metadata: null }, { metadata: { name: 'x' }, status: [], spec: 5 }];

describe('secret checks over garbage', () => {
  it.each([
    ['secret-sync', checkSecretSync],
    ['secret-freshness', checkSecretFreshness],
    ['secret-expiry', checkSecretExpiry],
  ])('%s never throws, even with empty settings, and returns findings', (_name, check) => {
    const weird = {
      ...secretSync('w'),
      spec: { secretProviderClassName: 'kv-spc', secretObject: { data: 'nope' } },
      status: { conditions: [{ type: 'Update', status: 'False', reason: 3, message: { a: 1 } }] },
    };
    const snap = snapshot({
      secretSyncs: { ok: true, items: [...junk, weird] },
      secretProviderClasses: {
        ok: true,
        items: [...junk, { ...providerClass('kv-spc', []), spec: { parameters: 'str' } }],
      },
      deployments: { ok: true, items: junk },
      keyVaultSecrets: { 'kv-store-042': { ok: true, items: [null, { name: 5 }] } },
    } as unknown as Partial<ClusterSnapshot>);
    const findings = check(snap, NOW, {} as CheckSettings);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(f.message).toEqual(expect.any(String));
  });
});
