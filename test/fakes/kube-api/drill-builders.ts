/** What a backed-up application namespace holds, for the simulated Velero controller (restore drills). */
import type { StoredObject } from './fake-cluster.js';

const obj = (apiVersion: string, kind: string, ns: string, name: string, rest: object = {}): StoredObject =>
  ({ apiVersion, kind, metadata: { name, namespace: ns, labels: { app: name } }, ...rest }) as StoredObject;

/**
 * A typical app in `ns`: a PVC, a Deployment `web` (2 replicas) and a StatefulSet `db` with their Pods,
 * a DaemonSet `agent`, a ConfigMap, and what a drill must not restore: Services (one LoadBalancer),
 * an Ingress, a CronJob and a Job.
 */
export function appNamespace(ns: string): StoredObject[] {
  const pod = (name: string, app: string) => ({
    ...obj('v1', 'Pod', ns, name),
    metadata: { name, namespace: ns, labels: { app } },
    spec: { containers: [{ name: app, image: `${app}:1` }] },
  });
  return [
    obj('v1', 'PersistentVolumeClaim', ns, 'data', {
      spec: {
        storageClassName: 'default',
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
      },
    }),
    obj('apps/v1', 'Deployment', ns, 'web', { spec: { replicas: 2 } }),
    pod('web-7d4b9-a', 'web'),
    pod('web-7d4b9-b', 'web'),
    obj('apps/v1', 'StatefulSet', ns, 'db', { spec: { replicas: 1, serviceName: 'db' } }),
    pod('db-0', 'db'),
    obj('apps/v1', 'DaemonSet', ns, 'agent', { spec: {} }),
    obj('v1', 'ConfigMap', ns, 'settings', { data: { mode: 'prod' } }),
    obj('v1', 'Service', ns, 'web', { spec: { type: 'ClusterIP', ports: [{ port: 80 }] } }),
    obj('v1', 'Service', ns, 'web-public', { spec: { type: 'LoadBalancer', ports: [{ port: 443 }] } }),
    obj('networking.k8s.io/v1', 'Ingress', ns, 'web', { spec: { rules: [{ host: `${ns}.example.com` }] } }),
    obj('batch/v1', 'CronJob', ns, 'report', { spec: { schedule: '0 3 * * *' } }),
    obj('batch/v1', 'Job', ns, 'migrate', { spec: {} }),
  ];
}
