/** `fleet.azure` and `clusters[].azure` (DESIGN §3, §12): defaults, and errors naming the field path. */
import { buildConfig } from '../../bot/config.js';
import { ConfigError } from '../../bot/errors.js';

const SUB = '00000000-0000-0000-0000-000000000000';
const problems = (raw: unknown): string[] => {
  try {
    buildConfig(raw, 'f.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('fleet.azure config', () => {
  it('defaults refreshInterval to 15m and resourceManagerUrl to the public cloud', () => {
    const cfg = buildConfig({ fleet: { azure: { subscriptions: [SUB] } } }, 'f.yaml');
    expect(cfg.fleet?.azure).toMatchObject({
      subscriptions: [SUB],
      managementGroups: [],
      refreshIntervalMs: 15 * 60_000,
      resourceManagerUrl: 'https://management.azure.com',
    });
    expect(cfg.fleet?.azure?.clusterDefaults.access.viewers).toEqual(['*']);
    expect(buildConfig({}, 'f.yaml').fleet).toBeUndefined();
  });

  it('takes a sovereign cloud without its trailing slash, and a cluster resource id', () => {
    const id = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/Store_1`;
    const cfg = buildConfig(
      {
        clusters: [{ name: 'store-1', azure: { resourceId: id } }],
        fleet: {
          azure: {
            managementGroups: ['mg-stores'],
            refreshInterval: '5m',
            resourceManagerUrl: 'https://management.chinacloudapi.cn/',
          },
        },
      },
      'f.yaml',
    );
    expect(cfg.fleet?.azure?.resourceManagerUrl).toBe('https://management.chinacloudapi.cn');
    expect(cfg.clusters[0].azure).toEqual({ resourceId: id });
  });

  it.each([
    [
      { fleet: { azure: { subscriptions: ['not-a-guid'] } } },
      'fleet.azure.subscriptions[0]: must be a subscription id',
    ],
    [{ fleet: { azure: {} } }, 'fleet.azure: name at least one subscription or management group'],
    [
      { fleet: { azure: { subscriptions: [SUB], refreshInterval: '15 minutes' } } },
      'fleet.azure.refreshInterval: must be a duration',
    ],
    [
      { fleet: { azure: { subscriptions: [SUB], resourceManagerUrl: 'http://management.azure.com' } } },
      'fleet.azure.resourceManagerUrl: must be an https:// URL',
    ],
    [{ fleet: { azure: { subscriptions: [SUB], tenant: 'x' } } }, 'fleet.azure: unknown key(s) tenant'],
    [
      { clusters: [{ name: 'a', azure: { resourceId: '/subscriptions/x' } }] },
      'clusters[0].azure.resourceId: must be the Arc resource id',
    ],
  ])('%j → %s', (raw, expected) => {
    expect(problems(raw).join('\n')).toContain(`f.yaml: ${expected}`);
  });
});
