/** `defaults.transit` and `defaults.checks` (DESIGN §3): merged per cluster, validated, and obeyed by the runner. */
import { buildConfig } from '../../bot/config.js';
import { ConfigError } from '../../bot/errors.js';
import { runChecks } from '../../jobs/checks/run-checks.js';
import type { ClusterSnapshot } from '../../jobs/checks/snapshot.js';

const problemsOf = (raw: unknown): string[] => {
  try {
    buildConfig(raw, 'test.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('config: transit and checks', () => {
  const cfg = buildConfig(
    {
      defaults: {
        transit: { attested: [{ namespace: 'pos', evidence: 'app-level TLS to the payment gateway' }] },
        checks: { 'transit-encryption': 'off' },
      },
      clusters: [
        { name: 'store-041' },
        {
          name: 'store-042',
          transit: { required: true },
          checks: { 'transit-encryption': 'on', gitops: 'off' },
        },
      ],
    },
    'test.yaml',
  );
  const [a, b] = cfg.clusters;

  it('defaults to transit not required, nothing attested, every check on', () => {
    const plain = buildConfig({ clusters: [{ name: 'store-1' }] }, 'test.yaml').clusters[0];
    expect(plain.checks.transit).toEqual({ required: false, attested: [] });
    expect(plain.checks.off).toEqual([]);
  });

  it('merges defaults with per-cluster overrides, key by key', () => {
    expect(a.checks.transit).toEqual({
      required: false,
      attested: [{ namespace: 'pos', evidence: 'app-level TLS to the payment gateway' }],
    });
    expect(a.checks.off).toEqual(['transit-encryption']);
    expect(b.checks.transit?.required).toBe(true);
    expect(b.checks.transit?.attested).toHaveLength(1);
    expect(b.checks.off).toEqual(['gitops']);
  });

  it('the runner skips a check turned off: no finding at all, not even when the cluster is unreachable', () => {
    const unreachable = {
      cluster: 'store-041',
      unreachable: { reason: 'ClusterUnreachable', message: 'connect ECONNREFUSED' },
    } as unknown as ClusterSnapshot;
    const checksOf = (c: typeof a) =>
      new Set(runChecks(unreachable, new Date(), c.checks).map((f) => f.check));
    expect(checksOf(a).has('transit-encryption')).toBe(false);
    expect(checksOf(a).has('gitops')).toBe(true);
    expect(checksOf(b).has('transit-encryption')).toBe(true);
    expect(checksOf(b).has('gitops')).toBe(false);
  });

  it('names the field and the fix for a bad entry', () => {
    expect(problemsOf({ defaults: { checks: { 'transit-encrypton': 'off' } } })).toEqual([
      expect.stringMatching(
        /^test\.yaml: defaults\.checks\.transit-encrypton: unknown check "transit-encrypton": one of backup-location, .*transit-encryption/,
      ),
    ]);
    expect(problemsOf({ defaults: { checks: { gitops: 'disabled' } } })[0]).toMatch(
      /^test\.yaml: defaults\.checks\.gitops: /,
    );
    expect(
      problemsOf({ clusters: [{ name: 's', transit: { attested: [{ namespace: 'POS', evidence: 'x' }] } }] }),
    ).toEqual([
      'test.yaml: clusters[0].transit.attested[0].namespace: must be a namespace name (DNS-1123 label)',
    ]);
    expect(problemsOf({ defaults: { transit: { required: 'yes' } } })[0]).toMatch(
      /^test\.yaml: defaults\.transit\.required: /,
    );
  });
});
