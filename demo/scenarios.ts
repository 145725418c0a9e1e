/**
 * The demo fleet: simulated clusters served by the fake Kubernetes API, so a newcomer sees real reports
 * with no cloud account. Each scenario is a function that (re)fills one cluster.
 */

import {
  backup,
  backupStorageLocation,
  deployment,
  isoAgo,
  namespace,
  pvc,
  schedule,
  storageClass,
} from '../test/fakes/kube-api/builders.js';
import type { FakeKubeApi } from '../test/fakes/kube-api/fake-kube-api.js';

export type Scenario = (fake: FakeKubeApi, cluster: string, now: number) => void;

const stamp = (minutesAgo: number, now: number) =>
  isoAgo(minutesAgo, now)
    .replace(/[-:TZ]/g, '')
    .slice(0, 14);

/** Velero with a nightly schedule whose newest backup finished `ageMinutes` ago. */
function velero(fake: FakeKubeApi, cluster: string, now: number, ageMinutes: number, bslPhase = 'Available') {
  const c = fake.cluster(cluster);
  c.put(namespace('velero'));
  c.put(
    backupStorageLocation('default', {
      status: {
        phase: bslPhase,
        lastValidationTime: isoAgo(1, now),
        ...(bslPhase === 'Available'
          ? {}
          : {
              message:
                'BackupStorageLocation "default" is unavailable: container velero not found (AuthorizationFailure)',
            }),
      },
    }),
  );
  c.put(schedule('nightly', { creationTimestamp: isoAgo(60 * 24 * 30, now) }));
  for (let day = 0; day < 3; day++) {
    const age = ageMinutes + day * 24 * 60;
    c.put(backup(`nightly-${stamp(age, now)}`, { schedule: 'nightly', ageMinutes: age }));
  }
}

function workloads(fake: FakeKubeApi, cluster: string) {
  const c = fake.cluster(cluster);
  c.put(storageClass('default', 'disk.csi.akshci.com'));
  // The Secret Store extension's controller (secret-sync requires it by default).
  c.put(deployment());
  for (const ns of ['pos', 'inventory']) {
    c.put(namespace(ns));
    c.put(pvc(`${ns}-data`, { namespace: ns }));
  }
}

export const scenarios: Record<string, Scenario> = {
  /** Everything protected. */
  healthy(fake, cluster, now) {
    velero(fake, cluster, now, 6 * 60);
    workloads(fake, cluster);
  },
  /** The newest backup is 4 days old and the storage location is unavailable. */
  'stale-backup'(fake, cluster, now) {
    velero(fake, cluster, now, 4 * 24 * 60, 'Unavailable');
    workloads(fake, cluster);
  },
};

export interface DemoCluster {
  name: string;
  /** `unreachable` points the kubeconfig at a closed port. */
  scenario: keyof typeof scenarios | 'unreachable';
}

export const demoFleet: DemoCluster[] = [
  { name: 'store-041', scenario: 'healthy' },
  { name: 'store-042', scenario: 'stale-backup' },
  { name: 'store-043', scenario: 'unreachable' },
];
