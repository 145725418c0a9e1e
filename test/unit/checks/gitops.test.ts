import { checkGitOps } from '../../../jobs/checks/gitops.js';
import type { ReasonCode } from '../../../jobs/checks/reason-codes.js';
import type { Condition, GitRepository, Kustomization, Listed } from '../../../jobs/checks/snapshot.js';
import { apiserverSnapshot, NOW, SETTINGS } from './apiserver-snapshot.js';

const REV = 'main@sha1:0f5e2c8d1b9a7e6f5d4c3b2a1908f7e6d5c4b3a2';
const OLD_REV = 'main@sha1:6a1c9e4b2d8f7a3c5e1b9d7f3a5c1e9b7d3f5a1c';
const ready = (status = 'True', reason = 'Succeeded', message = 'ok'): Condition[] => [
  { type: 'Ready', status, reason, message, lastTransitionTime: '2026-11-26T11:58:00Z' },
];

function repo(
  name: string,
  spec: GitRepository['spec'] = {},
  status?: GitRepository['status'],
): GitRepository {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name, namespace: 'flux-system' },
    spec: { url: 'https://github.com/contoso/store-config', interval: '1m', ...spec },
    ...(status ? { status } : {}),
  };
}
function ks(name: string, spec: Kustomization['spec'] = {}, status?: Kustomization['status']): Kustomization {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: 'flux-system' },
    spec: { interval: '10m', sourceRef: { kind: 'GitRepository', name: 'store-config' }, ...spec },
    ...(status ? { status } : {}),
  };
}
const goodRepo = repo('store-config', {}, { conditions: ready(), artifact: { revision: REV } });
const listed = <T>(...items: T[]): Listed<T> => ({ ok: true, items });
const notFound = <T>(): Listed<T> => ({
  ok: false,
  error: { reason: 'NotFound', message: 'API not served' },
});

function run(
  repos: Listed<GitRepository> | undefined,
  kss: Listed<Kustomization> | undefined,
  required = false,
) {
  const snapshot = apiserverSnapshot(undefined, undefined, {
    ...(repos ? { gitRepositories: repos } : {}),
    ...(kss ? { kustomizations: kss } : {}),
  });
  return checkGitOps(snapshot, NOW, { ...SETTINGS, gitops: { required } });
}

type Case = [
  given: string,
  kustomization: Kustomization,
  status: string,
  reason: ReasonCode<'gitops'>,
  message: RegExp,
];

describe('gitops: one Kustomization against a Ready GitRepository', () => {
  const cases: Case[] = [
    [
      'Ready and applied the source revision',
      ks('apps', {}, { conditions: ready(), lastAppliedRevision: REV }),
      'ok',
      'GitOpsReady',
      /Kustomization flux-system\/apps is Ready, applied main@sha1:0f5e/,
    ],
    [
      'suspended while its old conditions still say Ready',
      ks('apps', { suspend: true }, { conditions: ready(), lastAppliedRevision: OLD_REV }),
      'warn',
      'GitOpsSuspended',
      /is suspended.*flux resume kustomization apps -n flux-system/,
    ],
    [
      'Ready=False with the controller reason',
      ks(
        'apps',
        {},
        {
          conditions: ready('False', 'BuildFailed', 'kustomize build failed:\n  accumulating resources'),
          lastAppliedRevision: OLD_REV,
        },
      ),
      'fail',
      'GitOpsNotReady',
      /is not Ready: BuildFailed: kustomize build failed: accumulating resources/,
    ],
    [
      'Ready=Unknown 2m into a reconcile (within its 10m timeout): reconciling, not GitOpsNotReady',
      ks('apps', {}, { conditions: ready('Unknown', 'Progressing', 'Reconciliation in progress') }),
      'warn',
      'GitOpsBehind',
      /is reconciling \(Ready=Unknown, Progressing: Reconciliation in progress\) for 2m of its 10m timeout/,
    ],
    ['no status at all', ks('apps'), 'fail', 'GitOpsNotReady', /has no Ready condition.*never reconciled/],
    [
      'empty conditions',
      ks('apps', {}, { conditions: [] }),
      'fail',
      'GitOpsNotReady',
      /has no Ready condition/,
    ],
    [
      'conditions not a list (malformed)',
      ks('apps', {}, { conditions: 'Ready' as unknown as Condition[] }),
      'fail',
      'GitOpsNotReady',
      /no Ready condition/,
    ],
    [
      'Ready but behind the source artifact',
      ks('apps', {}, { conditions: ready(), lastAppliedRevision: OLD_REV }),
      'warn',
      'GitOpsBehind',
      /applied main@sha1:6a1c.* but its source GitRepository flux-system\/store-config is at main@sha1:0f5e/,
    ],
    [
      'source is an OCIRepository (not compared)',
      ks(
        'apps',
        { sourceRef: { kind: 'OCIRepository', name: 'oci' } },
        { conditions: ready(), lastAppliedRevision: 'latest@sha256:abc' },
      ),
      'ok',
      'GitOpsReady',
      /is Ready/,
    ],
    [
      'Ready without sourceRef (malformed)',
      ks('apps', { sourceRef: undefined }, { conditions: ready() }),
      'ok',
      'GitOpsReady',
      /is Ready$/,
    ],
  ];
  it.each(cases)('%s', (_given, kustomization, status, reason, message) => {
    const findings = run(listed(goodRepo), listed(kustomization));
    expect(findings[0]).toMatchObject({
      status: 'ok',
      reason: 'GitOpsReady',
      resource: 'GitRepository/flux-system/store-config',
    });
    expect(findings[1]).toMatchObject({
      check: 'gitops',
      status,
      reason,
      resource: 'Kustomization/flux-system/apps',
    });
    expect(findings[1].message).toMatch(message);
  });
});

describe('gitops: repositories, installation and errors', () => {
  const applied = ks('apps', {}, { conditions: ready(), lastAppliedRevision: REV });

  it.each([
    [
      'suspended',
      repo('store-config', { suspend: true }, { conditions: ready() }),
      'warn',
      'GitOpsSuspended',
      /flux resume source git store-config/,
    ],
    [
      'failing to fetch',
      repo(
        'store-config',
        {},
        { conditions: ready('False', 'GitOperationFailed', 'authentication required') },
      ),
      'fail',
      'GitOpsNotReady',
      /GitOperationFailed: authentication required/,
    ],
    ['without status', repo('store-config'), 'fail', 'GitOpsNotReady', /no Ready condition/],
  ])('a GitRepository %s', (_given, r, status, reason, message) => {
    const [f] = run(listed(r), listed(applied));
    expect(f).toMatchObject({ status, reason, resource: 'GitRepository/flux-system/store-config' });
    expect(f.message).toMatch(message);
  });

  it('compares with a source in another namespace', () => {
    const other = { ...goodRepo, metadata: { name: 'shared', namespace: 'platform' } };
    const k = ks(
      'apps',
      { sourceRef: { kind: 'GitRepository', name: 'shared', namespace: 'platform' } },
      { conditions: ready(), lastAppliedRevision: OLD_REV },
    );
    expect(run(listed(other), listed(k))[1]).toMatchObject({
      reason: 'GitOpsBehind',
      evidence: { source: 'GitRepository/platform/shared' },
    });
  });

  it.each([
    [false, 'ok', /Flux is not installed .*not required/],
    [true, 'fail', /Flux is not installed .*cannot be restored from Git/],
  ])('Flux CRDs not served, required=%s → %s GitOpsNotInstalled', (required, status, message) => {
    const findings = run(notFound(), notFound(), required);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status, reason: 'GitOpsNotInstalled' });
    expect(findings[0].message).toMatch(message);
  });

  it('treats Flux without any Kustomization as not installed', () => {
    expect(run(listed(goodRepo), listed(), true)[0]).toMatchObject({
      status: 'fail',
      reason: 'GitOpsNotInstalled',
    });
    expect(run(listed(goodRepo), notFound(), true)[0].message).toMatch(
      /kustomize.toolkit.fluxcd.io\/v1 Kustomization not served/,
    );
  });

  it('says unknown (never ok) when the lists cannot be read or were not collected', () => {
    const forbidden: Listed<Kustomization> = {
      ok: false,
      error: {
        reason: 'Forbidden',
        message: 'no',
        missingRule: 'list kustomize.toolkit.fluxcd.io kustomizations in all namespaces',
      },
    };
    const findings = run(listed(goodRepo), forbidden, true);
    expect(findings).toEqual([expect.objectContaining({ status: 'unknown', reason: 'Forbidden' })]);
    expect(findings[0].message).toMatch(/list kustomize.toolkit.fluxcd.io kustomizations/);
    expect(run(undefined, undefined)).toEqual([
      expect.objectContaining({ status: 'unknown', reason: 'ApiError' }),
    ]);
  });
});
