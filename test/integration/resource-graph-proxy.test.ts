/**
 * HTTPS_PROXY / NO_PROXY for Resource Graph and its Entra token. Its own file: core-rest-pipeline
 * reads NO_PROXY once per process (module state, when the first proxy policy is made), so it is set
 * before any client here exists. The fakes answer as localhost (bypassed) and 127.0.0.1 (proxied).
 */
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { ClientSecretCredential } from '@azure/identity';
import { ResourceGraphArcFleetSource } from '../../adapters/azure/arc-fleet-source.js';
import { FakeResourceGraph } from '../fakes/azure-resource-graph/fake-resource-graph.js';
import { FakeEntra } from '../fakes/entra/fake-entra.js';

const SUB_A = '11111111-1111-1111-1111-111111111111';
const viaIp = (url: string) => url.replace('//localhost:', '//127.0.0.1:');

describe('HTTPS_PROXY / NO_PROXY for Resource Graph and its token', () => {
  let proxy: Server;
  const tunnels: string[] = [];
  const saved = { https: process.env.HTTPS_PROXY, no: process.env.NO_PROXY };
  let entra: FakeEntra;
  let arg: FakeResourceGraph;

  beforeAll(async () => {
    entra = await FakeEntra.start();
    arg = await FakeResourceGraph.start({ acceptToken: (t) => t === 'fixed' || entra.isIssued(t) });
    arg.addSubscription(SUB_A);
    proxy = createServer();
    proxy.on('connect', (req, socket, head) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host === 'localhost' ? '127.0.0.1' : host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    process.env.HTTPS_PROXY = saved.https;
    process.env.NO_PROXY = saved.no;
    if (saved.https === undefined) delete process.env.HTTPS_PROXY;
    if (saved.no === undefined) delete process.env.NO_PROXY;
    proxy.closeAllConnections();
    await new Promise<void>((r) => proxy.close(() => r()));
    await arg.close();
    await entra.close();
  });

  const withEnv = (
    credential: ConstructorParameters<typeof ResourceGraphArcFleetSource>[0]['credential'],
    url = viaIp(arg.url),
  ) =>
    new ResourceGraphArcFleetSource({
      resourceManagerUrl: url,
      subscriptions: [SUB_A],
      managementGroups: [],
      credential,
      pipelineOptions: { tlsOptions: { ca: arg.caCert } },
    });

  it('Resource Graph requests and the Entra token request both tunnel through HTTPS_PROXY; NO_PROXY bypasses it', async () => {
    process.env.HTTPS_PROXY = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    process.env.NO_PROXY = 'localhost';
    const fixed = { getToken: async () => ({ token: 'fixed', expiresOnTimestamp: Date.now() + 3600_000 }) };
    // Through a proxy the SDK drops tlsOptions (as for Key Vault), so the test CA is not trusted: the
    // read fails, after the CONNECT to ARG's host:port.
    const viaProxy = await withEnv(fixed).readFleet();
    expect(viaProxy.ok).toBe(false);
    expect(tunnels).toContain(new URL(viaIp(arg.url)).host);
    const tokenViaProxy = await withEnv(
      new ClientSecretCredential(entra.tenantId, entra.clientId, entra.clientSecret, {
        authorityHost: viaIp(entra.url),
        disableInstanceDiscovery: true,
        tlsOptions: { ca: entra.caCert },
      } as ConstructorParameters<typeof ClientSecretCredential>[3]),
    ).readFleet();
    expect(tokenViaProxy.ok).toBe(false);
    expect(tunnels).toContain(new URL(viaIp(entra.url)).host);
    tunnels.length = 0;
    expect((await withEnv(fixed, arg.url).readFleet()).ok).toBe(true);
    expect(tunnels).toEqual([]);
  });
});
