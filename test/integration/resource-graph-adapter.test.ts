/**
 * The Arc fleet adapter against the loopback fake Resource Graph, with the real @azure/identity
 * ClientSecretCredential getting its token from the fake Entra: paging, 429, 401/403, unreadable
 * subscriptions named, never dropped.
 */
import { ClientSecretCredential } from '@azure/identity';
import { ResourceGraphArcFleetSource } from '../../adapters/azure/arc-fleet-source.js';
import { addArcCluster } from '../fakes/azure-resource-graph/arc-resources.js';
import { FakeResourceGraph } from '../fakes/azure-resource-graph/fake-resource-graph.js';
import { FakeEntra } from '../fakes/entra/fake-entra.js';

const SUB_A = '11111111-1111-1111-1111-111111111111';
const SUB_B = '22222222-2222-2222-2222-222222222222';
const SUB_X = '33333333-3333-3333-3333-333333333333';

describe('ResourceGraphArcFleetSource (real ClientSecretCredential, fake Entra, fake ARG)', () => {
  let entra: FakeEntra;
  let arg: FakeResourceGraph;
  const sleeps: number[] = [];

  const source = (
    subscriptions = [SUB_A, SUB_B],
    extra: { maxRetryAfterMs?: number; secret?: string } = {},
  ) =>
    new ResourceGraphArcFleetSource({
      resourceManagerUrl: arg.url,
      subscriptions,
      managementGroups: [],
      pageSize: 2,
      maxRetryAfterMs: extra.maxRetryAfterMs,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      credential: new ClientSecretCredential(
        entra.tenantId,
        entra.clientId,
        extra.secret ?? entra.clientSecret,
        {
          authorityHost: entra.url,
          disableInstanceDiscovery: true,
          tlsOptions: { ca: entra.caCert },
        } as ConstructorParameters<typeof ClientSecretCredential>[3],
      ),
      pipelineOptions: { tlsOptions: { ca: arg.caCert } },
    });

  beforeEach(async () => {
    sleeps.length = 0;
    entra = await FakeEntra.start();
    arg = await FakeResourceGraph.start({ acceptToken: (t) => entra.isIssued(t), maxPageSize: 1000 });
    arg.addSubscription(SUB_A).addSubscription(SUB_B).addSubscription(SUB_X);
  });
  afterEach(async () => {
    await arg.close();
    await entra.close();
  });

  it('pages by $skipToken with $top, attaches extensions and flux configurations, token scope {arm}/.default', async () => {
    for (let i = 0; i < 5; i++)
      addArcCluster(
        arg,
        {
          subscriptionId: i % 2 ? SUB_B : SUB_A,
          name: `Store_${i}`,
          connectivityStatus: i === 3 ? 'Offline' : 'Connected',
          lastConnectivityTime: '2026-12-01T10:00:00Z',
        },
        {
          sse: i === 1 ? 'Failed' : 'Succeeded',
          sseMessage: i === 1 ? 'helm install failed: timed out' : undefined,
          compliance: i === 4 ? 'Non-Compliant' : 'Compliant',
        },
      );
    addArcCluster(arg, { subscriptionId: SUB_X, name: 'elsewhere' });
    const read = await source().readFleet();
    if (!read.ok) throw new Error(read.error.message);
    expect(read.unreadableSubscriptions).toEqual([]);
    expect(read.clusters.map((c) => c.cluster.name)).toEqual([
      'Store_0',
      'Store_1',
      'Store_2',
      'Store_3',
      'Store_4',
    ]);
    const s1 = read.clusters[1];
    expect(s1.extensions).toHaveLength(2);
    expect(s1.extensions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'flux',
          extensionType: 'microsoft.flux',
          provisioningState: 'Succeeded',
        }),
        expect.objectContaining({
          name: 'ssarcextension',
          extensionType: 'microsoft.azure.secretstore',
          provisioningState: 'Failed',
          statusMessage: 'helm install failed: timed out',
        }),
      ]),
    );
    expect(read.clusters[3].cluster).toMatchObject({
      connectivityStatus: 'Offline',
      lastConnectivityTime: '2026-12-01T10:00:00Z',
      kubernetesVersion: '1.30.4',
    });
    expect(read.clusters[4].fluxConfigurations).toEqual([
      expect.objectContaining({ name: 'cluster-config', complianceState: 'Non-Compliant' }),
    ]);
    // 5 clusters at 2 per page = 3 pages; 15 configuration rows = 8 pages; 1 subscription probe.
    const ok = arg.requests.filter((r) => r.status === 200);
    expect(ok.filter((r) => r.table === 'resources').map((r) => r.skipToken ?? null)).toHaveLength(3);
    expect(ok.filter((r) => r.table === 'kubernetesconfigurationresources')).toHaveLength(8);
    expect(ok.every((r) => r.top === 2)).toBe(true);
    expect(ok[1].skipToken).toBeUndefined();
    expect(ok[2].skipToken).toBeDefined();
    expect(entra.grants).toHaveLength(1);
    expect(entra.grants[0].scope).toContain(`${arg.url}/.default`);
  });

  it('names a subscription the identity cannot see, and queries only the readable ones', async () => {
    arg.forbidden.add(SUB_B);
    addArcCluster(arg, { subscriptionId: SUB_A, name: 'a-1' });
    addArcCluster(arg, { subscriptionId: SUB_B, name: 'b-1' });
    const read = await source().readFleet();
    if (!read.ok) throw new Error(read.error.message);
    expect(read.clusters.map((c) => c.cluster.name)).toEqual(['a-1']);
    expect(read.unreadableSubscriptions).toEqual([
      expect.objectContaining({ subscriptionId: SUB_B, code: 'NotVisible' }),
    ]);
    expect(
      arg.requests.filter((r) => r.table === 'resources').every((r) => r.subscriptions?.join() === SUB_A),
    ).toBe(true);
  });

  it('when ARG answers 403 for the set, probes each subscription and names the denied one with its code', async () => {
    arg.forbidden.add(SUB_B);
    arg.forbiddenMode = 'deny';
    addArcCluster(arg, { subscriptionId: SUB_A, name: 'a-1' });
    const read = await source().readFleet();
    if (!read.ok) throw new Error(read.error.message);
    expect(read.clusters.map((c) => c.cluster.name)).toEqual(['a-1']);
    expect(read.unreadableSubscriptions).toEqual([
      { subscriptionId: SUB_B, code: 'AccessDenied', message: expect.stringContaining('Access is denied') },
    ]);
  });

  it('no readable subscription at all: an empty fleet that names every subscription, not an error', async () => {
    arg.forbidden.add(SUB_B);
    arg.forbiddenMode = 'deny';
    const read = await source([SUB_B]).readFleet();
    expect(read).toEqual({
      ok: true,
      clusters: [],
      unreadableSubscriptions: [expect.objectContaining({ subscriptionId: SUB_B, code: 'AccessDenied' })],
    });
    expect(arg.requests.some((r) => r.table === 'resources')).toBe(false);
  });

  it('a truncated result without $skipToken fails the read instead of returning part of the fleet', async () => {
    for (let i = 0; i < 3; i++) addArcCluster(arg, { subscriptionId: SUB_A, name: `t-${i}` });
    arg.truncate = true;
    const read = await source([SUB_A]).readFleet();
    expect(read).toEqual({
      ok: false,
      error: expect.objectContaining({ reason: 'ApiError', message: expect.stringContaining('truncated') }),
    });
  });

  it('waits Retry-After on 429 and carries on; a Retry-After beyond the bound fails the read (never ok)', async () => {
    addArcCluster(arg, { subscriptionId: SUB_A, name: 'a-1' });
    arg.fail({ status: 429, retryAfter: 3, times: 2 });
    const read = await source().readFleet();
    expect(read.ok).toBe(true);
    expect(sleeps).toEqual([3000, 3000]);
    arg.fail({ status: 429, retryAfter: 120 });
    const slow = await source([SUB_A], { maxRetryAfterMs: 60_000 }).readFleet();
    expect(slow).toEqual({
      ok: false,
      error: expect.objectContaining({ reason: 'ApiError', message: expect.stringContaining('Retry-After') }),
    });
  });

  it('management groups: queried by managementGroups with allowPartialScopes, merged with the subscriptions', async () => {
    arg.managementGroups.set('mg-stores', [SUB_X]);
    addArcCluster(arg, { subscriptionId: SUB_A, name: 'a-1' });
    addArcCluster(arg, { subscriptionId: SUB_X, name: 'x-1' });
    const read = await new ResourceGraphArcFleetSource({
      resourceManagerUrl: arg.url,
      subscriptions: [SUB_A],
      managementGroups: ['mg-stores'],
      credential: new ClientSecretCredential(entra.tenantId, entra.clientId, entra.clientSecret, {
        authorityHost: entra.url,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: entra.caCert },
      } as ConstructorParameters<typeof ClientSecretCredential>[3]),
      pipelineOptions: { tlsOptions: { ca: arg.caCert } },
    }).readFleet();
    if (!read.ok) throw new Error(read.error.message);
    expect(read.clusters.map((c) => c.cluster.name).sort()).toEqual(['a-1', 'x-1']);
    expect(arg.requests.filter((r) => r.managementGroups?.includes('mg-stores')).map((r) => r.table)).toEqual(
      ['resources', 'kubernetesconfigurationresources'],
    );
  });

  it('401 from ARG, a refused token and a 500 are failed reads with their reason', async () => {
    arg.fail({ status: 401 });
    expect(await source().readFleet()).toEqual({
      ok: false,
      error: expect.objectContaining({ reason: 'Forbidden' }),
    });
    arg.fail({ status: 500 });
    expect(await source().readFleet()).toEqual({
      ok: false,
      error: expect.objectContaining({ reason: 'ApiError' }),
    });
    const bad = await source([SUB_A], { secret: 'wrong' }).readFleet();
    expect(bad).toEqual({
      ok: false,
      error: expect.objectContaining({
        reason: 'Forbidden',
        message: expect.stringContaining('no Azure token'),
      }),
    });
    expect(JSON.stringify(bad)).not.toContain(entra.clientSecret);
  });
});
