/** `/dp chart` and `/dp digest` through the real Router on real Redis: input errors, baselines of "what changed". */
import type { Redis } from 'ioredis';
import type { BotMessage } from '../../bot/message.js';
import { CHECK_NAMES } from '../../jobs/checks/finding.js';
import { newRedis } from '../support/redis.js';
import { type ChartHarness, startChartHarness } from './chart-harness.js';

let redis: Redis;
beforeAll(() => {
  redis = newRedis();
});
afterAll(() => redis.quit());

async function ask(h: ChartHarness, text: string): Promise<BotMessage> {
  const reply = await h.router.handle({
    platform: 'slack',
    user: { id: 'slack:T1/U1', groups: [] },
    conversation: { platform: 'slack', channel: 'C1' },
    text,
  });
  return reply.message;
}

const texts = (m: BotMessage) => JSON.stringify(m.sections);

describe('/dp chart', () => {
  it.each([
    ['chart', /Name one cluster, or "all"/],
    ['chart a b', /Name one cluster, or "all"/],
    ['chart store-9999', /Unknown cluster "store-9999"/],
    ['chart Store_1', /cluster name/],
  ])('%s is refused with the usage', async (text, why) => {
    const h = await startChartHarness(redis, 3);
    const m = await ask(h, text);
    expect(m.kind).toBe('error');
    expect(m.image).toBeUndefined();
    expect(m.summary).toMatch(why);
    expect(JSON.stringify(m)).toContain('/dp chart <cluster>|all');
  });

  it('chart all: a PNG of every visible cluster, the worst named in its alt text', async () => {
    const h = await startChartHarness(redis, 60);
    const m = await ask(h, 'chart all');
    expect(m.kind).toBe('chart');
    expect(m.image?.fileName).toMatch(/^dpbot-fleet-20261203T0800Z\.png$/);
    expect(Buffer.from(m.image!.pngBase64, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(m.image?.alt).toMatch(
      new RegExp(
        `^Heatmap of 60 clusters by ${CHECK_NAMES.length} checks: fail \\d+ · warn \\d+ · unknown \\d+ · ok \\d+; worst: .*; 10 more not drawn\\.$`,
      ),
    );
  });

  it('chart all asks for a scan of never-scanned clusters (drawn unknown) after posting', async () => {
    const h = await startChartHarness(redis, 3);
    await redis.hdel(`${h.prefix}:posture`, 'store-0002');
    const reply = await h.router.handle({
      platform: 'slack',
      user: { id: 'slack:T1/U1', groups: [] },
      conversation: { platform: 'slack', channel: 'C1' },
      text: 'chart all',
    });
    expect(h.scanned).toEqual([]);
    await reply.afterPost?.({ platform: 'slack', channel: 'C1', id: '1.2' });
    expect(h.scanned).toEqual([['store-0002']]);
  });

  it('chart <cluster>: the backup history of the last 30 days', async () => {
    const h = await startChartHarness(redis, 2);
    const m = await ask(h, 'chart store-0000');
    expect(m.title).toBe('Backup history of store-0000');
    expect(m.summary).toMatch(/^Backups of store-0000 in the last 30 days: 30 \(/);
  });
});

describe('/dp digest', () => {
  it('without a schedule each digest is the next one’s baseline', async () => {
    const h = await startChartHarness(redis, 5);
    expect(texts(await ask(h, 'digest'))).toContain('First digest');
    const p = (await h.postures.get('store-0001'))!;
    await h.postures.put({ ...p, status: 'ok', findings: p.findings.map((f) => ({ ...f, status: 'ok' })) });
    const second = await ask(h, 'digest');
    expect(texts(second)).toMatch(
      /Since the last digest \(0s ago\): better: store-0001 \w+ → ok; 0 new lapses, \d+ resolved/,
    );
    expect(second.sections[1]).toMatchObject({
      type: 'table',
      columns: ['status', 'cluster', 'check', 'reason', 'resource'],
    });
  });

  it('with a schedule an ad-hoc digest compares with the last scheduled one and does not move it', async () => {
    const h = await startChartHarness(redis, 5, { digest: { schedule: '0 8 * * 1-5', slack: ['C1'] } });
    await ask(h, 'digest');
    expect(await h.digests.last()).toBeUndefined();
    expect(texts(await ask(h, 'digest'))).toContain('First digest');
  });

  it('the ten worst findings, worst first', async () => {
    const h = await startChartHarness(redis, 30);
    const m = await ask(h, 'digest');
    const table = m.sections.find((s) => s.type === 'table');
    expect(table?.type === 'table' && table.rows).toHaveLength(10);
    if (table?.type === 'table') expect(table.rows.every((r) => r[0] === 'fail')).toBe(true);
    expect(m.image?.fileName).toMatch(/^dpbot-digest-/);
  });

  it('takes no arguments', async () => {
    const h = await startChartHarness(redis, 1);
    expect(JSON.stringify(await ask(h, 'digest now'))).toContain('/dp digest takes no arguments.');
  });
});
