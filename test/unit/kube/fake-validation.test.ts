/** The fake validates custom objects against the real CRDs, so test fixtures and dpbot's requests can't drift. */

import * as b from '../../fakes/kube-api/builders.js';
import { CrdCatalog } from '../../fakes/kube-api/crd-catalog.js';
import { FakeCluster } from '../../fakes/kube-api/fake-cluster.js';
import { ResourceRegistry } from '../../fakes/kube-api/resource-types.js';
import { describeWithCrds } from '../../support/describe-with-crds.js';

const catalog = CrdCatalog.load();
const newCluster = () => new FakeCluster('store-042', new ResourceRegistry(catalog), catalog);

describeWithCrds('fake kube-api validation', () => {
  it('finds the real CRDs', () => {
    expect(catalog.validating).toBe(true);
    expect(catalog.definitions.map((d) => d.name)).toEqual(
      expect.arrayContaining([
        'backups.velero.io',
        'secretsyncs.secret-sync.x-k8s.io',
        'kustomizations.kustomize.toolkit.fluxcd.io',
      ]),
    );
  });

  it('accepts a valid Backup', () => {
    const stored = newCluster().put(b.backup('nightly-20260101020000', { schedule: 'nightly' }));
    expect(stored.metadata.uid).toBeTruthy();
  });

  it.each([
    [
      'an unknown spec field',
      { spec: { includedNamespace: ['pos'] } },
      'spec.includedNamespace: field not declared in schema',
    ],
    ['a wrong type', { spec: { ttl: 720 } }, 'spec.ttl: must be string'],
    [
      'a phase outside the enum',
      { status: { phase: 'Done' } },
      'status.phase: must be equal to one of the allowed values',
    ],
    [
      'a non-RFC3339 timestamp',
      { status: { completionTimestamp: 'yesterday' } },
      'status.completionTimestamp',
    ],
    ['an unknown top-level field', { extra: true }, 'extra: field not declared in schema'],
  ])('rejects a Backup with %s', (_what, change, message) => {
    const base = b.backup('nightly-1');
    const bad = {
      ...base,
      ...change,
      spec: { ...base.spec, ...(change as { spec?: object }).spec },
      status: { ...base.status, ...(change as { status?: object }).status },
    };
    expect(() => newCluster().put(bad)).toThrow(message);
  });

  it('rejects a name that is not a DNS-1123 subdomain', () => {
    expect(() => newCluster().put(b.backup('Nightly_1'))).toThrow('metadata.name');
  });

  it('honours nullable and int-or-string', () => {
    const c = newCluster();
    expect(() => c.put(b.schedule('nightly', { status: { lastBackup: null } }))).not.toThrow();
    expect(() => c.put(b.schedule('nightly', { status: { lastBackup: 5 } }))).toThrow('status.lastBackup');
  });

  it('keeps x-kubernetes-preserve-unknown-fields open', () => {
    const k = b.kustomization('apps', {
      spec: { patches: [{ patch: 'apiVersion: v1\nkind: ConfigMap', target: { kind: 'ConfigMap' } }] },
    });
    expect(() => newCluster().put(k)).not.toThrow();
  });

  it('validates status patches, as a controller would be rejected', () => {
    const c = newCluster();
    const r = c.put(b.restore('r-1'));
    expect(c.patchStatus(r, { phase: 'Completed' }).status?.phase).toBe('Completed');
    expect(() => c.patchStatus(r, { phase: 'Finished' })).toThrow('status.phase');
  });

  it('builds a valid object of every kind', () => {
    const c = newCluster();
    for (const o of [
      b.backupStorageLocation(),
      b.schedule('nightly'),
      b.backup('nightly-1', { schedule: 'nightly' }),
      b.restore('r-1'),
      b.namespace('pos'),
      b.pvc('data'),
      b.storageClass('default', 'disk.csi.azure.com'),
      b.secretSync('db'),
      b.secretProviderClass(),
      b.deployment(),
      b.gitRepository(),
      b.kustomization(),
    ])
      expect(() => c.put(o)).not.toThrow();
  });
});
