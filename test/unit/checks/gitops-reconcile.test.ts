/**
 * gitops as Flux really behaves: every reconcile starts with Ready=Unknown/Progressing and ends within
 * spec.timeout; Ready=True is current only for the observed generation and while the controller
 * runs. Objects are real-shaped (test/fakes/kube-api/builders.ts) and validated against the Flux CRDs.
 */
import { checkGitOps } from '../../../jobs/checks/gitops.js';
import type { ReasonCode } from '../../../jobs/checks/reason-codes.js';
import type {
  Condition,
  Deployment,
  GitRepository,
  Kustomization,
  Listed,
} from '../../../jobs/checks/snapshot.js';
import { deployment, gitRepository, kustomization } from '../../fakes/kube-api/builders.js';
import { CrdCatalog } from '../../fakes/kube-api/crd-catalog.js';
import { apiserverSnapshot, NOW, SETTINGS } from './apiserver-snapshot.js';

const MIN = 60_000;
const at = (msAgo: number) => new Date(NOW.getTime() - msAgo).toISOString().replace(/\.\d+Z$/, 'Z');
const REV = 'main@sha1:0123456789abcdef0123456789abcdef01234567';
const c = (type: string, status: string, reason: string, message: string, msAgo: number): Condition => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: at(msAgo),
  observedGeneration: 1,
});
/** What kustomize-controller writes when a reconcile starts (MarkUnknown + MarkReconciling). */
const reconciling = (msAgo: number): Condition[] => [
  c('Ready', 'Unknown', 'Progressing', 'Reconciliation in progress', msAgo),
  c(
    'Reconciling',
    'True',
    'Progressing',
    `Detecting drift for revision ${REV} with a timeout of 10m0s`,
    msAgo,
  ),
];
const listed = <T>(...items: T[]): Listed<T> => ({ ok: true, items });
const fluxUp = () =>
  listed(
    deployment('source-controller', { namespace: 'flux-system' }),
    deployment('kustomize-controller', { namespace: 'flux-system' }),
  );

const catalog = CrdCatalog.load();
function valid<T extends GitRepository | Kustomization>(obj: T): T {
  const [group, version] = (obj.apiVersion ?? '').split('/');
  const def = catalog.find(group, obj.kind === 'GitRepository' ? 'gitrepositories' : 'kustomizations');
  if (!def) throw new Error(`no CRD for ${obj.kind}`);
  const problems = catalog.validate(def, version, obj);
  if (problems.length) throw new Error(`${obj.kind} ${obj.metadata.name}: ${problems.join('; ')}`);
  return obj;
}

function run(repo: GitRepository, ks: Kustomization, deployments: Listed<Deployment> | undefined = fluxUp()) {
  const snapshot = apiserverSnapshot(undefined, undefined, {
    gitRepositories: listed(valid(repo)),
    kustomizations: listed(valid(ks)),
    ...(deployments ? { fluxDeployments: deployments } : {}),
  });
  return checkGitOps(snapshot, NOW, SETTINGS);
}

const repo = (o: Parameters<typeof gitRepository>[1] = {}) =>
  gitRepository('cluster-config', { revision: REV, ...o });
const ks = (o: Parameters<typeof kustomization>[1] = {}) =>
  kustomization('cluster-config', { revision: REV, ...o });

type Case = [
  given: string,
  repo: GitRepository,
  ks: Kustomization,
  status: string,
  reason: ReasonCode<'gitops'>,
  message: RegExp,
];

describe('gitops: a Kustomization through a reconcile (controllers running)', () => {
  const cases: Case[] = [
    [
      'Ready=True, observed generation current',
      repo(),
      ks(),
      'ok',
      'GitOpsReady',
      /is Ready, applied main@sha1/,
    ],
    [
      'Ready=Unknown/Progressing 2m into a reconcile (timeout = interval 10m): reconciling, not a failure',
      repo(),
      ks({ status: { conditions: reconciling(2 * MIN) } }),
      'warn',
      'GitOpsBehind',
      /Kustomization flux-system\/cluster-config is reconciling \(Ready=Unknown, Progressing: Reconciliation in progress\) for 2m of its 10m timeout/,
    ],
    [
      'Ready=Unknown for 25m with interval 10m and no timeout: stuck',
      repo(),
      ks({ status: { conditions: reconciling(25 * MIN) } }),
      'fail',
      'GitOpsNotReady',
      /has been reconciling .* for 25m, longer than its 10m timeout: the reconcile is stuck or its controller died/,
    ],
    [
      'spec.timeout 5m wins over the interval: Unknown for 8m fails',
      repo(),
      ks({ spec: { timeout: '5m' }, status: { conditions: reconciling(8 * MIN) } }),
      'fail',
      'GitOpsNotReady',
      /longer than its 5m timeout/,
    ],
    [
      'spec.timeout 1h: Unknown for 30m is still a reconcile',
      repo(),
      ks({ spec: { timeout: '1h' }, status: { conditions: reconciling(30 * MIN) } }),
      'warn',
      'GitOpsBehind',
      /for 30m of its 1h timeout/,
    ],
    [
      'Stalled=True fails whatever Ready says',
      repo(),
      ks({
        status: {
          conditions: [
            c('Ready', 'False', 'InvalidCELExpression', 'terminal error: invalid readyExpr', 3 * MIN),
            c('Stalled', 'True', 'InvalidCELExpression', 'terminal error: invalid readyExpr', 3 * MIN),
          ],
        },
      }),
      'fail',
      'GitOpsNotReady',
      /is stalled \(InvalidCELExpression: terminal error: invalid readyExpr\)/,
    ],
    [
      'Ready=True for generation 1 while the spec is at generation 2: status for an older spec',
      repo(),
      { ...ks(), metadata: { ...ks().metadata, generation: 2 } },
      'warn',
      'GitOpsBehind',
      /says Ready for generation 1 but its spec is at generation 2: Flux has not reconciled the current spec yet/,
    ],
    [
      'suspended is checked first, even while Ready=Unknown for hours',
      repo(),
      ks({ spec: { suspend: true }, status: { conditions: reconciling(300 * MIN) } }),
      'warn',
      'GitOpsSuspended',
      /is suspended/,
    ],
  ];
  it.each(cases)('%s', (_given, r, k, status, reason, message) => {
    const findings = run(r, k);
    expect(findings.map((f) => f.resource)).toEqual([
      'GitRepository/flux-system/cluster-config',
      'Kustomization/flux-system/cluster-config',
    ]);
    expect(findings[1]).toMatchObject({ status, reason });
    expect(findings[1].message).toMatch(message);
  });
});

describe('gitops: a GitRepository reconcile (timeout default 60s)', () => {
  const progressing = (msAgo: number) => [
    c('Reconciling', 'True', 'Progressing', 'building artifact', msAgo),
    c('Ready', 'Unknown', 'Progressing', 'reconciliation in progress', msAgo),
  ];
  it.each([
    ['30s in', 30_000, 'warn', 'GitOpsBehind', /reconciling .* of its 1m timeout/],
    ['5m in (60s + 2m slack passed)', 5 * MIN, 'fail', 'GitOpsNotReady', /longer than its 1m timeout/],
  ])('Ready=Unknown %s', (_given, msAgo, status, reason, message) => {
    const [f] = run(repo({ status: { conditions: progressing(msAgo) } }), ks());
    expect(f).toMatchObject({ status, reason, resource: 'GitRepository/flux-system/cluster-config' });
    expect(f.message).toMatch(message);
  });
});

describe('gitops: the Flux controllers', () => {
  it('kustomize-controller down: one fail for it, and no Ready=True line that is no longer current', () => {
    const findings = run(
      repo(),
      ks(),
      listed(
        deployment('source-controller', { namespace: 'flux-system' }),
        deployment('kustomize-controller', { namespace: 'flux-system', available: 0 }),
      ),
    );
    expect(findings.map((f) => [f.status, f.reason, f.resource])).toEqual([
      ['fail', 'GitOpsNotReady', 'Deployment/flux-system/kustomize-controller'],
      ['ok', 'GitOpsReady', 'GitRepository/flux-system/cluster-config'],
    ]);
    expect(findings[0].message).toMatch(
      /Flux kustomize-controller is down \(0 of 1 replicas available\): nothing reconciles the 1 Kustomization, whose Ready status is from before/,
    );
  });

  it('source-controller missing from flux-system fails; a not-ready object of its kind still shows', () => {
    const failing = repo({
      status: { conditions: [c('Ready', 'False', 'GitOperationFailed', 'auth required', MIN)] },
    });
    const findings = run(
      failing,
      ks(),
      listed(deployment('kustomize-controller', { namespace: 'flux-system' })),
    );
    expect(findings.map((f) => [f.status, f.reason, f.resource])).toEqual([
      ['fail', 'GitOpsNotReady', 'Deployment/flux-system/source-controller'],
      ['fail', 'GitOpsNotReady', 'GitRepository/flux-system/cluster-config'],
      ['ok', 'GitOpsReady', 'Kustomization/flux-system/cluster-config'],
    ]);
    expect(findings[0].message).toContain('there is no Deployment source-controller in flux-system');
  });

  it('Deployments in flux-system unreadable: unknown naming the rule, the object lines stay', () => {
    const findings = run(repo(), ks(), {
      ok: false,
      error: {
        reason: 'Forbidden',
        message: 'no',
        missingRule: 'list apps deployments in namespace flux-system',
      },
    });
    expect(findings[0]).toMatchObject({ status: 'unknown', reason: 'Forbidden' });
    expect(findings[0].message).toMatch(/list apps deployments in namespace flux-system/);
    expect(findings).toHaveLength(3);
  });
});
