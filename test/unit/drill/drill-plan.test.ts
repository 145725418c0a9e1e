import { buildConfig } from '../../../bot/config.js';
import { DNS1123_LABEL } from '../../../bot/config-schema.js';
import { drillRestoreAction, isScratchOf, scratchNamespace } from '../../../jobs/drill/drill-plan.js';
import { verifyScratch } from '../../../jobs/drill/verify.js';

describe('scratch namespaces', () => {
  it('are dp-drill-<id>-<ns> when that fits', () => {
    expect(scratchNamespace('abcdefghij', 'pos')).toBe('dp-drill-abcdefghij-pos');
  });

  it('stay a DNS-1123 label of at most 63 characters, distinct for long names sharing a prefix', () => {
    const a = scratchNamespace('abcdefghij', `${'x'.repeat(40)}-payments-primary`);
    const b = scratchNamespace('abcdefghij', `${'x'.repeat(40)}-payments-replica`);
    for (const n of [a, b]) {
      expect(n.length).toBeLessThanOrEqual(63);
      expect(n).toMatch(DNS1123_LABEL);
      expect(isScratchOf('abcdefghij', n)).toBe(true);
    }
    expect(a).not.toBe(b);
    expect(scratchNamespace('abcdefghij', 'y'.repeat(63))).toHaveLength(63);
    expect(scratchNamespace('abcdefghij', `${'z'.repeat(43)}-${'q'.repeat(19)}`)).toBe(
      scratchNamespace('abcdefghij', `${'z'.repeat(43)}-${'q'.repeat(19)}`),
    );
  });

  it('the Restore maps every namespace and excludes what could reach the outside world', () => {
    const { action, mapping } = drillRestoreAction({
      id: 'k2',
      veleroNamespace: 'velero',
      backup: 'b1',
      namespaces: ['pos', 'db'],
    });
    expect(mapping).toEqual({ pos: 'dp-drill-k2-pos', db: 'dp-drill-k2-db' });
    expect(action.object.spec).toMatchObject({
      includedNamespaces: ['pos', 'db'],
      restorePVs: true,
      existingResourcePolicy: 'none',
    });
    expect((action.object.spec as { excludedResources: string[] }).excludedResources).toEqual(
      expect.arrayContaining(['services', 'ingresses.networking.k8s.io', 'cronjobs.batch', 'jobs.batch']),
    );
  });
});

describe('verification', () => {
  const meta = (name: string) => ({ name, namespace: 'dp-drill-k2-pos' });
  it('is green only when PVCs are Bound, workloads available and Pods Ready (Succeeded Pods ignored)', () => {
    const up = verifyScratch([
      {
        persistentVolumeClaims: [{ metadata: meta('data'), status: { phase: 'Bound' } }],
        deployments: [{ metadata: meta('web'), spec: { replicas: 2 }, status: { availableReplicas: 2 } }],
        statefulSets: [{ metadata: meta('db'), spec: { replicas: 1 }, status: { availableReplicas: 1 } }],
        daemonSets: [{ metadata: meta('agent'), status: { desiredNumberScheduled: 3, numberAvailable: 3 } }],
        pods: [
          {
            metadata: meta('web-1'),
            status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
          },
          { metadata: meta('done-1'), status: { phase: 'Succeeded' } },
        ],
      },
    ]);
    expect(up).toEqual({ ready: true, failures: [], readyCount: 5, total: 5 });
    const down = verifyScratch([
      {
        persistentVolumeClaims: [{ metadata: meta('data'), status: {} }],
        deployments: [{ metadata: meta('web'), spec: { replicas: 2 }, status: { availableReplicas: 1 } }],
        statefulSets: [],
        daemonSets: [{ metadata: meta('agent'), status: {} }],
        pods: [
          {
            metadata: meta('web-1'),
            status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] },
          },
        ],
      },
    ]);
    expect(down.failures).toEqual([
      'PVC dp-drill-k2-pos/data Pending',
      'Deployment dp-drill-k2-pos/web 1/2 available',
      'DaemonSet dp-drill-k2-pos/agent 0/0 available',
      'Pod dp-drill-k2-pos/web-1 not Ready (Running)',
    ]);
  });

  it('a DaemonSet the controller has observed with 0 nodes to run on is all available (0/0)', () => {
    const contents = (status: Record<string, number>) => [
      {
        persistentVolumeClaims: [],
        deployments: [],
        statefulSets: [],
        daemonSets: [{ metadata: meta('gpu-agent'), status }],
        pods: [],
      },
    ];
    expect(
      verifyScratch(contents({ desiredNumberScheduled: 0, numberAvailable: 0, observedGeneration: 1 })),
    ).toEqual({ ready: true, failures: [], readyCount: 1, total: 1 });
    // Not yet observed (Velero restores no status): not counted as up.
    expect(verifyScratch(contents({})).failures).toEqual([
      'DaemonSet dp-drill-k2-pos/gpu-agent 0/0 available',
    ]);
  });
});

describe('drills config', () => {
  it('has the DESIGN §3 defaults and per-cluster overrides', () => {
    const cfg = buildConfig(
      {
        defaults: { drills: { every: '30d' } },
        clusters: [{ name: 'a' }, { name: 'b', drills: { every: 'off', approvals: 0 } }],
      },
      'test',
    );
    expect(cfg.clusters[0].drills).toEqual({
      everyMs: 30 * 86_400_000,
      maxAgeMs: 90 * 86_400_000,
      timeoutMs: 1_800_000,
      required: false,
      approvals: 1,
    });
    expect(cfg.clusters[1].drills).toMatchObject({ approvals: 0 });
    expect(cfg.clusters[1].drills.everyMs).toBeUndefined();
    expect(() => buildConfig({ defaults: { drills: { every: 'weekly' } } }, 'f.yaml')).toThrow(
      /drills\.every/,
    );
  });
});
