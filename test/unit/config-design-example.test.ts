/** DESIGN §3: its example file loads as written; a wrong value's problem names its path and the fix. */
import { fileURLToPath } from 'node:url';
import { buildConfig, loadConfig } from '../../bot/config.js';
import { ConfigError } from '../../bot/errors.js';

const example = fileURLToPath(new URL('../fixtures/config/design-example.yaml', import.meta.url));

const problemsOf = (raw: unknown): string[] => {
  try {
    buildConfig(raw, 'bad.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('config: the DESIGN §3 example and its problems', () => {
  it('loads the example verbatim, identities with placeholders included', () => {
    const cfg = loadConfig(example, () => []);
    const [c] = cfg.clusters;
    expect(c.access.operators).toEqual(['slack:T01/U02', 'teams:6f1c…']);
    expect(c.access.approvers).toEqual(['slack-group:S0ABC', 'teams:9d2e…']);
    expect(c.checks.backups.maxAgeMs).toBe('auto');
    expect(c.drills.everyMs).toBeUndefined();
    expect(cfg.keyVault).toEqual({ dnsSuffix: 'vault.azure.net', verifyChallengeResource: true });
    expect(cfg.digest?.schedule).toBe('0 8 * * 1-5');
  });

  it.each([
    [{ defaults: { scanInterval: 15 } }, 'defaults.scanInterval: must be a duration like 90s'],
    [{ defaults: { backups: { maxAge: 26 } } }, 'defaults.backups.maxAge: must be auto or a duration'],
    [{ defaults: { drills: { every: true } } }, 'defaults.drills.every: must be off or a duration'],
    [{ defaults: { checks: { 'transit-encryption': 'disabled' } } }, 'transit-encryption: must be off or on'],
    [
      { defaults: { secretSync: { required: 'yes' } } },
      'defaults.secretSync.required: must be true or false',
    ],
    [{ defaults: { alerts: { openAfter: 'two' } } }, 'defaults.alerts.openAfter: must be a number'],
    [{ defaults: { approvals: { required: 0 } } }, 'defaults.approvals.required: must be at least 1'],
    [
      { defaults: { backups: { partialFailedIs: 'error' } } },
      'partialFailedIs: must be one of ok, warn, fail',
    ],
    [{ clusters: [{ context: 'x' }] }, 'clusters[0].name: is required: add it'],
    [{ clusters: [{ name: 'a', access: { viewers: '*' } }] }, 'clusters[0].access.viewers: must be a list'],
    [{ clusters: { name: 'a' } }, 'clusters: must be a list'],
    ['hello', '(top level): must be a mapping of keys'],
  ])('%j → %s', (raw, expected) => {
    const problems = problemsOf(raw);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^bad\.yaml: /);
    expect(problems[0]).toContain(expected);
    expect(problems[0]).not.toMatch(/Invalid input|expected \w+, received/);
  });

  it('still refuses display names as identities', () => {
    for (const who of ['alice', 'slack:alice', 'teams:Alice Smith', 'shell:'])
      expect(problemsOf({ clusters: [{ name: 'a', access: { operators: [who] } }] })[0]).toMatch(
        /access\.operators\[0\]: must be "\*", "slack:<team>\/<user>"/,
      );
  });
});
