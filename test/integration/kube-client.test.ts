/** KubeClient (create, get, selectors) and client-node's generated APIs against the fake API server. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { KubeClient } from '../../adapters/kube/kube-client.js';
import { KubeApiError } from '../../adapters/kube/kube-errors.js';
import { loadKubeConfig } from '../../adapters/kube/kubeconfig-loader.js';
import { RESOURCES } from '../../adapters/kube/snapshot-collector.js';
import * as b from '../fakes/kube-api/builders.js';
import { FakeKubeApi } from '../fakes/kube-api/fake-kube-api.js';
import { describeWithCrds } from '../support/describe-with-crds.js';

let fake: FakeKubeApi;
let client: KubeClient;
let kubeconfig: string;

beforeAll(async () => {
  fake = await FakeKubeApi.start();
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'dpbot-kube-')), 'kubeconfig');
  fake.writeKubeconfig(kubeconfig, ['store-042', 'store-043']);
  client = new KubeClient(loadKubeConfig(kubeconfig, 'store-042'));
  const c = fake.cluster('store-042');
  c.put(b.backup('nightly-1', { schedule: 'nightly' }));
  c.put(b.backup('nightly-2', { schedule: 'nightly' }));
  c.put(b.backup('weekly-1', { schedule: 'weekly' }));
  c.put(b.backup('manual-1', { labels: { team: 'pos' } }));
  fake.cluster('store-043').put(b.backup('only-in-043'));
});

afterAll(async () => {
  await fake.close();
});

const names = (items: { metadata: { name: string } }[]) => items.map((i) => i.metadata.name);
const velero = { namespace: 'velero' };

describe('KubeClient', () => {
  it.each([
    ['velero.io/schedule-name=nightly', ['nightly-1', 'nightly-2']],
    ['velero.io/schedule-name!=nightly', ['manual-1', 'weekly-1']],
    ['velero.io/schedule-name in (nightly,weekly)', ['nightly-1', 'nightly-2', 'weekly-1']],
    ['velero.io/schedule-name', ['nightly-1', 'nightly-2', 'weekly-1']],
    ['!velero.io/schedule-name', ['manual-1']],
    ['team=pos,!velero.io/schedule-name', ['manual-1']],
  ])('lists with labelSelector %s', async (labelSelector, expected) => {
    const items = await client.listAll<{ metadata: { name: string } }>(RESOURCES.backups, {
      ...velero,
      labelSelector,
    });
    expect(names(items)).toEqual(expected);
  });

  it('lists objects without managedFields and the last-applied annotation, other metadata kept', async () => {
    const ns = b.namespace('pos', { labels: { team: 'pos' }, annotations: { owner: 'shop' } });
    ns.metadata.annotations = {
      ...ns.metadata.annotations,
      'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"v1","kind":"Namespace"}',
    };
    const managedFields = [{ manager: 'kubectl', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: {} }];
    fake.cluster('store-043').put({ ...ns, metadata: { ...ns.metadata, managedFields } });
    const other = new KubeClient(loadKubeConfig(kubeconfig, 'store-043'));
    const [listed] = await other.listAll<typeof ns>(RESOURCES.namespaces);
    // Server-set fields (uid, resourceVersion, creationTimestamp) stay; the two bookkeeping fields go.
    expect(listed.metadata).toEqual(
      expect.objectContaining({ name: 'pos', labels: { team: 'pos' }, annotations: { owner: 'shop' } }),
    );
    expect(listed.metadata).toHaveProperty('uid');
    expect(listed.metadata).not.toHaveProperty('managedFields');
    expect(listed.status).toEqual({ phase: 'Active' });
    // The server did send them (get is not trimmed).
    const got = await other.get<{ metadata: { managedFields?: unknown } }>(
      RESOURCES.namespaces,
      undefined,
      'pos',
    );
    expect(got.metadata.managedFields).toEqual(managedFields);
  });
  it('keeps clusters apart by path prefix', async () => {
    const other = new KubeClient(loadKubeConfig(kubeconfig, 'store-043'));
    expect(names(await other.listAll(RESOURCES.backups, velero))).toEqual(['only-in-043']);
  });

  it('creates a custom object, sets server fields, and answers 409 with AlreadyExists the second time', async () => {
    const body = b.restore('nightly-1-20260101030000', { backupName: 'nightly-1' });
    delete body.status;
    const created = await client.createNamespacedCustomObject<{ metadata: Record<string, string> }>(
      'velero.io',
      'v1',
      'velero',
      'restores',
      body,
    );
    expect(created.metadata).toMatchObject({ name: 'nightly-1-20260101030000', namespace: 'velero' });
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.resourceVersion).toBeTruthy();
    const again = client.createNamespacedCustomObject('velero.io', 'v1', 'velero', 'restores', body);
    await expect(again).rejects.toBeInstanceOf(KubeApiError);
    await expect(again).rejects.toMatchObject({ statusCode: 409, statusReason: 'AlreadyExists' });
    const got = await client.get<{ spec: { backupName: string } }>(
      { group: 'velero.io', version: 'v1', plural: 'restores', namespaced: true },
      'velero',
      'nightly-1-20260101030000',
    );
    expect(got.spec.backupName).toBe('nightly-1');
  });

  it('records in the request log that a create carried a status', async () => {
    fake.clearRequests();
    await client.createNamespacedCustomObject(
      'velero.io',
      'v1',
      'velero',
      'restores',
      b.restore('with-status', {
        status: { phase: 'Completed' },
      }),
    );
    expect(fake.requests).toEqual([
      expect.objectContaining({ method: 'POST', statusSent: true, status: 201 }),
    ]);
  });

  it('reuses its TLS connection across pages instead of a handshake per request', async () => {
    const paged = new KubeClient(loadKubeConfig(kubeconfig, 'store-042'), { pageSize: 1 });
    const before = fake.tlsConnections;
    expect(await paged.listAll(RESOURCES.backups, velero)).toHaveLength(4);
    expect(fake.tlsConnections - before).toBe(1);
  });

  it('sends concurrent reads at once on one HTTP/2 connection, as a scan does', async () => {
    const slow = await FakeKubeApi.start({ latencyMs: 300 });
    try {
      const path = join(mkdtempSync(join(tmpdir(), 'dpbot-kube-')), 'kubeconfig');
      slow.writeKubeconfig(path, ['store-042']);
      const c = new KubeClient(loadKubeConfig(path, 'store-042'));
      const lists = await Promise.all(Array.from({ length: 12 }, () => c.listAll(RESOURCES.namespaces)));
      expect(lists).toHaveLength(12);
      expect(slow.tlsConnections).toBe(1);
      expect(Object.fromEntries(slow.httpVersions)).toEqual({ '2.0': 12 });
      expect(slow.maxInFlight).toBe(12);
    } finally {
      await slow.close();
    }
  });

  it('takes turns on one kept-alive HTTP/1.1 connection when the server does not offer h2', async () => {
    const h1 = await FakeKubeApi.start({ latencyMs: 20, http1Only: true });
    try {
      const path = join(mkdtempSync(join(tmpdir(), 'dpbot-kube-')), 'kubeconfig');
      h1.writeKubeconfig(path, ['store-042']);
      h1.cluster('store-042').put(b.backup('nightly-1'));
      const c = new KubeClient(loadKubeConfig(path, 'store-042'));
      const lists = await Promise.all(Array.from({ length: 6 }, () => c.listAll(RESOURCES.backups, velero)));
      expect(lists.map((l) => l.length)).toEqual([1, 1, 1, 1, 1, 1]);
      expect(h1.tlsConnections).toBe(1);
      expect(Object.fromEntries(h1.httpVersions)).toEqual({ '1.1': 6 });
      expect(h1.maxInFlight).toBe(1); // no pipelining
    } finally {
      await h1.close();
    }
  });

  it('reads on through a GOAWAY mid-scan (kube-apiserver sheds h2 connections so)', async () => {
    const slow = await FakeKubeApi.start({ latencyMs: 300 });
    try {
      const path = join(mkdtempSync(join(tmpdir(), 'dpbot-kube-')), 'kubeconfig');
      slow.writeKubeconfig(path, ['store-042']);
      slow.cluster('store-042').put(b.backup('nightly-1'));
      const c = new KubeClient(loadKubeConfig(path, 'store-042'));
      const reads = Promise.all(Array.from({ length: 8 }, () => c.listAll(RESOURCES.backups, velero)));
      // GOAWAY once all eight are on the server (under load the connection takes a while to open).
      for (let i = 0; slow.maxInFlight < 8 && i < 500; i++) await new Promise((r) => setTimeout(r, 10));
      expect(slow.maxInFlight).toBe(8);
      slow.goAway();
      expect((await reads).map((l) => l.length)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
      // The session that got GOAWAY takes no new streams: the next read opens a new connection.
      expect(await c.listAll(RESOURCES.backups, velero)).toHaveLength(1);
      expect(slow.tlsConnections).toBe(2);
    } finally {
      await slow.close();
    }
  });

  it('closes its connection once idle, and opens a new one for the next read', async () => {
    const own = await FakeKubeApi.start();
    try {
      const path = join(mkdtempSync(join(tmpdir(), 'dpbot-kube-')), 'kubeconfig');
      own.writeKubeconfig(path, ['store-042']);
      own.cluster('store-042').put(b.backup('nightly-1'));
      const c = new KubeClient(loadKubeConfig(path, 'store-042'), { idleMs: 100 });
      await c.listAll(RESOURCES.backups, velero);
      expect(own.openConnections).toBe(1);
      for (let i = 0; own.openConnections > 0 && i < 200; i++) await new Promise((r) => setTimeout(r, 10));
      expect(own.openConnections).toBe(0);
      expect(await c.listAll(RESOURCES.backups, velero)).toHaveLength(1);
      expect(own.tlsConnections).toBe(2);
    } finally {
      await own.close();
    }
  });

  it('(the bench fake) answers the same with cached object JSON, and still shows every change', async () => {
    const cached = await FakeKubeApi.start({ shareObjectJson: true });
    try {
      const path = join(mkdtempSync(join(tmpdir(), 'dpbot-kube-')), 'kubeconfig');
      cached.writeKubeconfig(path, ['store-042']);
      const c = new KubeClient(loadKubeConfig(path, 'store-042'));
      cached.cluster('store-042').put(b.backup('nightly-1'));
      expect(names(await c.listAll(RESOURCES.backups, velero))).toEqual(['nightly-1']);
      expect(names(await c.listAll(RESOURCES.backups, velero))).toEqual(['nightly-1']);
      cached.cluster('store-042').put(b.backup('nightly-2'));
      expect(names(await c.listAll(RESOURCES.backups, velero))).toEqual(['nightly-1', 'nightly-2']);
      const plain = await FakeKubeApi.start();
      try {
        const plainPath = join(mkdtempSync(join(tmpdir(), 'dpbot-kube-')), 'kubeconfig');
        plain.writeKubeconfig(plainPath, ['store-042']);
        for (const n of ['nightly-1', 'nightly-2']) plain.cluster('store-042').put(b.backup(n));
        const other = new KubeClient(loadKubeConfig(plainPath, 'store-042'));
        // Server-made fields differ between the two fakes; everything else must be the same.
        const strip = (o: { metadata: object }) => ({
          ...o,
          metadata: { ...o.metadata, uid: '', resourceVersion: '', creationTimestamp: '' },
        });
        const [x, y] = [
          await c.listAll(RESOURCES.backups, velero),
          await other.listAll(RESOURCES.backups, velero),
        ];
        expect((x as { metadata: object }[]).map(strip)).toEqual((y as { metadata: object }[]).map(strip));
      } finally {
        await plain.close();
      }
      cached.setFault({ cluster: 'store-042', status: 403, times: 1 });
      await expect(c.listAll(RESOURCES.backups, velero)).rejects.toMatchObject({ statusCode: 403 });
    } finally {
      await cached.close();
    }
  });

  it('throws KubeApiError 404 for a missing object', async () => {
    await expect(client.get(RESOURCES.backups, 'velero', 'nope')).rejects.toMatchObject({
      statusCode: 404,
      statusReason: 'NotFound',
    });
  });
});

describe('client-node generated APIs against a /clusters/<name> server URL', () => {
  it('keep the path prefix (CoreV1Api, CustomObjectsApi)', async () => {
    fake.cluster('store-042').put(b.namespace('pos'));
    const kc = loadKubeConfig(kubeconfig, 'store-042');
    const ns = await kc.makeApiClient(CoreV1Api).listNamespace();
    expect(ns.items.map((n) => n.metadata?.name)).toEqual(['pos']);
    const list = await kc.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
      group: 'velero.io',
      version: 'v1',
      namespace: 'velero',
      plural: 'backups',
    });
    expect((list as { items: unknown[] }).items).toHaveLength(4);
  });
});

// Without the CRDs the fake stores any body, so the 422 cannot be shown.
describeWithCrds('KubeClient against the real CRDs', () => {
  it('gets 422 Invalid with the field path for an object that does not match the CRD', async () => {
    const body = { ...b.backup('bad-1'), spec: { includedNamespace: ['pos'] } };
    delete (body as { status?: unknown }).status;
    const err = await client
      .createNamespacedCustomObject('velero.io', 'v1', 'velero', 'backups', body)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 422, statusReason: 'Invalid' });
    expect((err as Error).message).toContain('spec.includedNamespace');
    expect(
      fake
        .cluster('store-042')
        .list('backups')
        .map((o) => o.metadata.name),
    ).not.toContain('bad-1');
  });
});
