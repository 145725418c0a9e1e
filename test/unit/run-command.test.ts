/** The router authorizes the cluster a spec names before the handler runs (handlers/run-command.ts). */
import type { Reply } from '../../bot/chat-port.js';
import { buildConfig, type ClusterConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { Router } from '../../bot/router.js';
import type { ClusterCommandSpec, HandlerContext } from '../../handlers/handler.js';

const config = buildConfig(
  {
    clusters: [
      { name: 'store-1', access: { viewers: ['*'], operators: ['shell:olga'] } },
      { name: 'hidden', access: { viewers: ['shell:olga'] } },
    ],
  },
  'test',
);

const ran: ClusterConfig[] = [];
const poke: ClusterCommandSpec = {
  name: 'poke',
  usage: '/dp poke <cluster>',
  summary: 'test command',
  role: 'operator',
  cluster: { arg: 0, role: 'operator', positionals: 1, countError: 'Name exactly one cluster.' },
  async run(_args, _ctx, cluster) {
    ran.push(cluster);
    return { message: { kind: 'text', summary: `poked ${cluster.name}`, tone: 'ok', sections: [] } };
  },
};

// `poke` touches no store: the context holds only what the router itself uses.
const router = new Router(
  [poke],
  (request) =>
    ({
      config,
      postures: {} as never,
      scans: { request: async () => undefined },
      clock: { now: () => new Date('2026-12-03T10:00:00Z') },
      logger: createLogger('silent'),
      request,
    }) as Partial<HandlerContext> as HandlerContext,
);

const ask = (user: string, text: string): Promise<Reply> =>
  router.handle({
    platform: 'shell',
    user: { id: `shell:${user}`, groups: [] },
    conversation: { platform: 'shell', channel: 'ops' },
    text,
  });

beforeEach(() => {
  ran.length = 0;
});

describe('router-level cluster authorization', () => {
  it.each([
    [
      'a viewer is denied the operator role',
      'vic',
      'poke store-1',
      'shell:vic is not an operator of store-1.',
    ],
    ['a cluster the caller cannot see is unknown', 'vic', 'poke hidden', 'Unknown cluster "hidden"'],
    ['a missing cluster', 'olga', 'poke', 'Name exactly one cluster.'],
    ['two clusters', 'olga', 'poke store-1 hidden', 'Name exactly one cluster.'],
    [
      'a viewer of the cluster who is no operator there',
      'olga',
      'poke hidden',
      'shell:olga is not an operator of hidden.',
    ],
  ])('%s: the handler never runs', async (_, user, text, said) => {
    const reply = await ask(user, text);
    expect(reply.ephemeral).toBe(true);
    expect(JSON.stringify(reply.message)).toContain(said.replaceAll('"', '\\"'));
    expect(ran).toEqual([]);
  });

  it('an operator gets the resolved cluster', async () => {
    const reply = await ask('olga', 'poke store-1');
    expect(reply.message.summary).toBe('poked store-1');
    expect(ran.map((c) => c.name)).toEqual(['store-1']);
  });
});
