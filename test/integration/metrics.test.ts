/** GET /metrics after real scans: every named dpbot series is there with the labels of what happened. */
import { createLogger } from '../../bot/logger.js';
import { recordApproval } from '../../bot/metrics.js';
import { type OpsHarness, startOpsHarness } from './ops-harness.js';

let h: OpsHarness;

beforeAll(async () => {
  h = await startOpsHarness(createLogger('silent'));
});

afterAll(async () => {
  await h?.close();
});

async function scrape(port: number | undefined): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}

/** The value of one sample, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (want.every((w) => line.includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('GET /metrics', () => {
  it('exposes scans, durations, findings, alerts, chat sends and queue depth after a scan', async () => {
    const ok = await h.scan('store-ok', 'metrics-ok-1');
    expect(await h.scan('store-stale', 'metrics-stale-1')).toMatchObject({ status: 'fail' });
    recordApproval('approved');
    const text = await scrape(h.bot.httpPort);

    expect(
      sample(text, 'dpbot_scans_total', { cluster: 'store-ok', result: ok.status }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'dpbot_scans_total', { cluster: 'store-stale', result: 'fail' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'dpbot_scan_duration_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^dpbot_scan_duration_seconds_bucket\{le="0\.1"\} \d+$/m);
    // Findings come from the posture cache, so they match what `/dp status` shows.
    expect(
      sample(text, 'dpbot_findings', { cluster: 'store-stale', check: 'backup-freshness', status: 'fail' }),
    ).toBe(1);
    expect(
      sample(text, 'dpbot_findings', { cluster: 'store-stale', check: 'backup-location', status: 'fail' }),
    ).toBe(1);
    expect(
      sample(text, 'dpbot_findings', { cluster: 'store-ok', check: 'backup-freshness', status: 'ok' }),
    ).toBe(1);
    expect(
      sample(text, 'dpbot_findings', { cluster: 'store-ok', check: 'backup-freshness', status: 'fail' }),
    ).toBeUndefined();
    // openAfter 1: the stale cluster's failing findings opened alerts on their first failing scan.
    expect(sample(text, 'dpbot_alerts_total', { event: 'opened' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'dpbot_approvals_total', { outcome: 'approved' })).toBe(1);
    expect(sample(text, 'dpbot_queue_jobs', { queue: 'scan', state: 'completed' })).toBeGreaterThanOrEqual(2);
    for (const state of ['waiting', 'active', 'delayed', 'failed'])
      expect(sample(text, 'dpbot_queue_jobs', { queue: 'notify', state })).toBeGreaterThanOrEqual(0);
    for (const name of ['dpbot_chat_sends_total', 'dpbot_chat_rate_limited_total'])
      expect(text).toContain(`# TYPE ${name} counter`);
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
  });

  it('counts a resolved alert when the cluster recovers', async () => {
    const before = sample(await scrape(h.bot.httpPort), 'dpbot_alerts_total', { event: 'resolved' }) ?? 0;
    await h.scan('store-stale', 'metrics-stale-2');
    const { scenarios } = await import('../../demo/scenarios.js');
    scenarios.healthy(h.fake, 'store-stale', Date.now());
    await h.scan('store-stale', 'metrics-stale-3');
    const text = await scrape(h.bot.httpPort);
    expect(sample(text, 'dpbot_alerts_total', { event: 'resolved' })).toBeGreaterThanOrEqual(before + 2);
    // The gauge is rebuilt from the latest posture: the fail series is gone, not stuck at 1.
    expect(
      sample(text, 'dpbot_findings', { cluster: 'store-stale', check: 'backup-freshness', status: 'fail' }),
    ).toBeUndefined();
    expect(
      sample(text, 'dpbot_findings', { cluster: 'store-stale', check: 'backup-freshness', status: 'ok' }),
    ).toBe(1);
  });

  it('serves health and metrics, but no chat routes, on a worker replica', async () => {
    const worker = await h.startRole('worker');
    const base = `http://127.0.0.1:${worker.httpPort}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect(await scrape(worker.httpPort)).toContain('dpbot_queue_jobs{queue="scan"');
    expect((await fetch(`${base}/api/messages`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});

describe('dpbot_findings from compact postures', () => {
  it('counts every finding a compacted line stands for', async () => {
    const { renderMetrics, trackPostures } = await import('../../bot/metrics.js');
    const { compactFindings } = await import('../../jobs/posture.js');
    const findings = Array.from({ length: 200 }, (_, i) => ({
      check: 'secret-sync' as const,
      status: 'ok' as const,
      reason: 'SecretSynced' as const,
      message: 'synced',
      resource: `app-${i}/db`,
    }));
    const stored = compactFindings(findings);
    expect(stored).toHaveLength(1);
    const untrack = trackPostures(async () => [
      {
        cluster: 'store-many',
        status: 'ok' as const,
        findings: stored,
        scannedAt: new Date().toISOString(),
        durationMs: 1,
        backups: [],
      },
    ]);
    try {
      const { body } = await renderMetrics();
      expect(
        sample(body, 'dpbot_findings', { cluster: 'store-many', check: 'secret-sync', status: 'ok' }),
      ).toBe(200);
    } finally {
      untrack();
    }
  });
});
