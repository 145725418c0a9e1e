import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConfig, loadConfig, toClusterName } from '../../bot/config.js';
import { ConfigError } from '../../bot/errors.js';

const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('config', () => {
  it('applies defaults, then per-cluster overrides, and converts durations', () => {
    const cfg = buildConfig(
      {
        defaults: { scanInterval: '5m', backups: { grace: '2h' } },
        clusters: [
          { name: 'store-042', backups: { maxAge: '26h' }, alerts: { slack: ['C0123ABCD'] } },
          { name: 'store-043', access: { operators: ['slack:T01/U02'] } },
        ],
      },
      'test.yaml',
    );
    const [a, b] = cfg.clusters;
    expect(a.scanIntervalMs).toBe(300_000);
    expect(a.checks.backups).toEqual({
      maxAgeMs: 93_600_000,
      graceMs: 7_200_000,
      partialFailedIs: 'warn',
      veleroNamespace: 'velero',
    });
    expect(a.alerts).toMatchObject({
      openAfter: 2,
      renotifyAfterMs: 14_400_000,
      slack: ['C0123ABCD'],
      teams: [],
    });
    expect(a.access).toEqual({ viewers: ['*'], operators: [], approvers: [] });
    expect(b.checks.backups.maxAgeMs).toBe('auto');
    expect(b.checks.encryption.kekMaxAgeMs).toBe(30 * 86_400_000);
    // access given without viewers: nobody else may look
    expect(b.access.viewers).toEqual([]);
    expect(cfg.keyVault).toEqual({ dnsSuffix: 'vault.azure.net', verifyChallengeResource: true });
  });

  it('names the field path and the fix for every problem', () => {
    const problems = problemsOf(() =>
      buildConfig(
        {
          defaults: { scanInterval: 'soon' },
          clusters: [{ name: 'Store_42' }, { name: 'ok-1', access: { approvers: ['bob'] }, colour: 'red' }],
        },
        'bad.yaml',
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^bad\.yaml: defaults\.scanInterval: must be a duration like 90s/),
        expect.stringMatching(/^bad\.yaml: clusters\[0\]\.name: must be a DNS-1123 label/),
        expect.stringMatching(
          /^bad\.yaml: clusters\[1\]\.access\.approvers\[0\]: must be "\*", "slack:<team>\/<user>"/,
        ),
        expect.stringMatching(/^bad\.yaml: clusters\[1\]: unknown key\(s\) colour/),
      ]),
    );
  });

  it('refuses duplicate cluster names', () => {
    expect(problemsOf(() => buildConfig({ clusters: [{ name: 'a' }, { name: 'a' }] }, 'x'))[0]).toMatch(
      /listed twice/,
    );
  });

  it('without a file makes one cluster per kubeconfig context', () => {
    const cfg = loadConfig(undefined, () => [{ context: 'store-042' }, { context: 'arn:aws:eks:x/Store_7' }]);
    expect(cfg.clusters.map((c) => [c.name, c.context])).toEqual([
      ['store-042', 'store-042'],
      ['arn-aws-eks-x-store-7', 'arn:aws:eks:x/Store_7'],
    ]);
    expect(toClusterName('---')).toBe('default');
  });

  it('reports unreadable and invalid YAML files clearly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpbot-cfg-'));
    expect(problemsOf(() => loadConfig(join(dir, 'missing.yaml'), () => []))[0]).toMatch(
      /cannot read the config file \(ENOENT\)/,
    );
    writeFileSync(join(dir, 'bad.yaml'), 'clusters: [\n');
    expect(problemsOf(() => loadConfig(join(dir, 'bad.yaml'), () => []))[0]).toMatch(/not valid YAML/);
  });
});
