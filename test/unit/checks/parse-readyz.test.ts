import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kmsHealthChecks, parseReadyz } from '../../../jobs/checks/parse-readyz.js';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/apiserver', name), 'utf8');

describe('parseReadyz', () => {
  it('reads every check line and the summary of a passing API server', () => {
    const report = parseReadyz(fixture('readyz-kms-v2-ok.txt'));
    expect(report.passed).toBe(true);
    expect(report.checks[0]).toEqual({ name: 'ping', ok: true, excluded: false, detail: 'ok' });
    expect(report.checks.map((c) => c.name)).toContain('poststarthook/rbac/bootstrap-roles');
    expect(kmsHealthChecks(report)).toEqual([
      { name: 'kms-providers', ok: true, excluded: false, detail: 'ok' },
    ]);
  });

  it('reads a failing KMS v1 provider (answered with HTTP 500)', () => {
    const report = parseReadyz(fixture('readyz-kms-v1-failed.txt'));
    expect(report.passed).toBe(false);
    expect(kmsHealthChecks(report)).toEqual([
      { name: 'kms-provider-0', ok: false, excluded: false, detail: 'failed: reason withheld' },
    ]);
  });

  it('knows excluded checks, warnings and no KMS', () => {
    const report = parseReadyz(
      '[+]ping ok\n[+]etcd excluded: ok\nwarn: some health checks cannot be excluded: no matches for "x"\nreadyz check passed\n',
    );
    expect(report.checks[1]).toMatchObject({ name: 'etcd', ok: true, excluded: true });
    expect(kmsHealthChecks(report)).toEqual([]);
    expect(kmsHealthChecks(parseReadyz(fixture('readyz-no-kms.txt')))).toEqual([]);
  });

  it('returns nothing (not a crash) for text that is not readyz', () => {
    expect(parseReadyz('<html>proxy error</html>')).toEqual({ checks: [] });
    expect(parseReadyz('')).toEqual({ checks: [] });
  });
});
