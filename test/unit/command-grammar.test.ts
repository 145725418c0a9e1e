/**
 * The real command specs through the router (DESIGN §2): usage as the contract writes it, and every
 * bad input answered with what was wrong and the usage. Each case fails before any store is touched.
 */
import type { Reply } from '../../bot/chat-port.js';
import { buildConfig } from '../../bot/config.js';
import { createLogger } from '../../bot/logger.js';
import { Router } from '../../bot/router.js';
import type { HandlerContext } from '../../handlers/handler.js';
import { clicks, commands } from '../../handlers/index.js';

const config = buildConfig(
  { clusters: [{ name: 'store-1', access: { viewers: ['*'], operators: ['shell:olga'] } }] },
  'test',
);

// A cluster known only from Azure (DESIGN §12), with the defaults' access: everyone operates it.
const azureOnly = {
  ...config.clusters[0],
  name: 'arc-only',
  access: { viewers: ['*'], operators: ['*'], approvers: [] },
};

const router = new Router(
  commands,
  (request) =>
    ({
      config,
      clock: { now: () => new Date('2026-12-03T10:00:00Z') },
      logger: createLogger('silent'),
      request,
      azureOnly: {
        cluster: (name: string) => (name === azureOnly.name ? azureOnly : undefined),
        clusters: () => [azureOnly],
      },
    }) as Partial<HandlerContext> as HandlerContext,
  clicks,
);

const ask = (text: string): Promise<Reply> =>
  router.handle({
    platform: 'shell',
    user: { id: 'shell:olga', groups: [] },
    conversation: { platform: 'shell', channel: 'ops' },
    text,
  });
const textOf = (r: Reply) => JSON.stringify(r.message).replaceAll('\\"', '"');

describe('command grammar', () => {
  it.each([
    ['help', '/dp help [command]'],
    ['whoami', '/dp whoami'],
    ['clusters', '/dp clusters'],
    ['status', '/dp status <cluster>|all [--refresh]'],
    ['backups', '/dp backups <cluster> [--schedule S] [--limit N]'],
    ['backup', '/dp backup <cluster> [--schedule S | --namespaces a,b] [--ttl 720h] [--reason "…"]'],
    [
      'restore',
      '/dp restore <cluster> --backup NAME [--namespaces a,b] [--map old:new,…] [--existing none|update] [--reason "…"]',
    ],
    ['approvals', '/dp approvals'],
    ['approve', '/dp approve <id>'],
    ['reject', '/dp reject <id> [--reason "…"]'],
    ['alerts', '/dp alerts [<cluster>]'],
    ['snooze', '/dp snooze <cluster> <check> <duration>'],
    ['unsnooze', '/dp unsnooze '],
    ['subscribe', '/dp subscribe <cluster>|all'],
    ['unsubscribe', '/dp unsubscribe '],
    ['audit', '/dp audit <cluster> [--limit N]'],
    ['drill', '/dp drill <cluster> [--backup NAME|latest] [--namespaces a,b] [--reason "…"]'],
    ['drills', '/dp drills <cluster> [--limit N]'],
    ['chart', '/dp chart <cluster>|all'],
    ['digest', '/dp digest'],
  ])('help %s shows the usage as DESIGN §2 writes it', async (name, usage) => {
    expect(textOf(await ask(`help ${name}`))).toContain(usage);
  });

  it('whoami gives roles on every cluster, those known only from Azure too', async () => {
    const reply = await ask('whoami');
    expect(textOf(reply)).toContain('shell:olga');
    expect(reply.message.sections[1]).toEqual({
      type: 'table',
      columns: ['cluster', 'roles'],
      rows: [
        ['store-1', 'viewer, operator'],
        ['arc-only', 'viewer, operator'],
      ],
    });
  });

  it('help takes the command word in any case, as the router does', async () => {
    const reply = await ask('help STATUS');
    expect(reply.message.title).toBe('/dp status');
  });

  it.each([
    ['whoami store-1', '/dp whoami takes no arguments.', '/dp whoami'],
    ['help status backups', 'Name one command, or none for the list.', '/dp help [command]'],
    [
      'restore store-1 --backup b1 --reason two words',
      'Name exactly one cluster. Not expected: "words" (a --reason of several words goes in quotes).',
      '/dp restore <cluster> --backup NAME',
    ],
    [
      'reject abcdefghij --reason no way',
      'Give one proposal id. Not expected: "way" (a --reason of several words goes in quotes).',
      '/dp reject <id> [--reason "…"]',
    ],
    ['backups store-1 extra', 'Name exactly one cluster. Not expected: "extra".', '/dp backups <cluster>'],
    [
      'backup store-1 --namespaces pos,Db',
      '"Db" is not a valid namespace: use lower-case letters',
      '/dp backup <cluster>',
    ],
    [
      'backups arc-only',
      'arc-only is known only from Azure (an Arc cluster with no kubeconfig',
      '/dp backups <cluster>',
    ],
    [
      'snooze store-1 backup-freshness 30s',
      '"30s" is not a duration from 1m to 30d',
      '/dp snooze <cluster> <check> <duration>',
    ],
    [
      'restore store-1 --backup b1 --reason="two words',
      'A quote (") is never closed',
      '/dp restore <cluster> --backup NAME',
    ],
  ])('%s → what was wrong and the usage', async (text, said, usage) => {
    const reply = await ask(text);
    expect(reply.message.kind).toBe('error');
    expect(textOf(reply)).toContain(said);
    expect(textOf(reply)).toContain(`Usage: ${usage}`);
  });
});
