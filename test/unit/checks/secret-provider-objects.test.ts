import {
  parseProviderParameters,
  secretsInUse,
  vaultsInUse,
} from '../../../jobs/checks/secret-provider-objects.js';
import { ok, providerClass, secretSync, snapshot } from '../../fakes/key-vault/secret-scenario.js';

/** Verbatim shape from the Azure Key Vault provider docs. */
const DOCS_OBJECTS = `array:
  - |
    objectName: secret1
    objectType: secret
    objectVersion: ""
  - |
    objectName: key1
    objectType: key
    objectVersion: ""
  - |
    objectName: tls-cert
    objectType: cert
    objectAlias: tls.pem
    objectVersion: 7f0b0d9c
`;

describe('parseProviderParameters', () => {
  it('reads the YAML-inside-YAML objects parameter', () => {
    expect(parseProviderParameters({ keyvaultName: 'kv1', objects: DOCS_OBJECTS })).toEqual({
      vault: 'kv1',
      objects: [
        { objectName: 'secret1', objectType: 'secret', objectVersion: '' },
        { objectName: 'key1', objectType: 'key', objectVersion: '' },
        { objectName: 'tls-cert', objectType: 'cert', objectVersion: '7f0b0d9c', objectAlias: 'tls.pem' },
      ],
      problems: [],
    });
  });

  it.each([
    ['no parameters', undefined, ['parameters.keyvaultName is missing', 'parameters.objects is empty']],
    [
      'objects not YAML',
      { keyvaultName: 'kv', objects: 'array: [' },
      ['parameters.objects is not YAML with an `array:` list'],
    ],
    [
      'objects without array',
      { keyvaultName: 'kv', objects: 'foo: bar' },
      ['parameters.objects is not YAML with an `array:` list'],
    ],
    [
      'entry without objectName',
      { keyvaultName: 'kv', objects: 'array:\n  - |\n    objectType: secret\n' },
      ['parameters.objects array[0] has no objectName'],
    ],
    [
      'entry is broken YAML',
      { keyvaultName: 'kv', objects: 'array:\n  - "objectName: [x"\n' },
      ['parameters.objects array[0] has no objectName'],
    ],
  ])('%s → problems, no throw', (_given, params, problems) => {
    expect(parseProviderParameters(params as Record<string, string> | undefined).problems).toEqual(problems);
  });

  it('keeps good entries next to bad ones, accepts structured entries and defaults objectType to secret', () => {
    const parsed = parseProviderParameters({
      keyvaultName: ' kv ',
      objects:
        'array:\n  - |\n    objectType: secret\n  - objectName: a\n  - |\n    objectName: b\n    objectVersion: 12\n',
    });
    expect(parsed.vault).toBe('kv');
    expect(parsed.objects).toEqual([
      { objectName: 'a', objectType: 'secret', objectVersion: '' },
      { objectName: 'b', objectType: 'secret', objectVersion: '12' },
    ]);
    expect(parsed.problems).toHaveLength(1);
  });
});

describe('secretsInUse', () => {
  it('follows SecretSync → SPC in the same namespace, keeps secret and cert, drops key', () => {
    const snap = snapshot({
      secretSyncs: ok(
        secretSync('app', { sourcePaths: ['secret1', 'key1', 'tls.pem'] }),
        secretSync('other', { namespace: 'web' }),
      ),
      secretProviderClasses: ok(providerClass('kv-spc', DOCS_OBJECTS, { vault: 'kv-a' })),
    });
    const usage = secretsInUse(snap);
    expect(usage.used.map((u) => [u.sync, u.vault, u.object.objectName])).toEqual([
      ['pos/app', 'kv-a', 'secret1'],
      ['pos/app', 'kv-a', 'tls-cert'],
    ]);
    expect(usage.unresolved).toEqual([
      { sync: 'web/other', why: 'SecretProviderClass web/kv-spc not found' },
    ]);
    expect(vaultsInUse(snap)).toEqual(['kv-a']);
  });
});
