/**
 * No healthy cluster alerts, ever (issue 14): two hours of simulated scans, every 5 minutes, of every
 * platform of the matrix through the real pipeline and the real alert engine (Redis, BullMQ notify queue,
 * notify processor). Healthy platforms must not send a single chat message — not a lapse, not a "cannot
 * verify protection" (which opens after 30 minutes of `unknown`). The one lapsed platform (kubeadm without
 * encryption) must alert, so the silence of the others is not a pipeline that sends nothing.
 */

import { PLATFORMS } from '../fixtures/platforms/platforms.js';
import { mentions } from './alert-harness.js';
import { type PlatformRig, startPlatformRig } from './platform-rig.js';

const MIN = 60_000;
const SCAN_EVERY = 5 * MIN;
const DURATION = 2 * 60 * MIN;
let t = Date.now();
const clock = { now: () => new Date(t) };
let rig: PlatformRig;

beforeAll(async () => {
  rig = await startPlatformRig(PLATFORMS, { clock, alerts: true, scanInterval: '5m' });
});
afterAll(async () => {
  await rig?.close();
});

describe('two hours of scans over every platform', () => {
  it('healthy platforms send nothing; the lapsed one alerts', async () => {
    const start = t;
    let scans = 0;
    while (t - start <= DURATION) {
      for (const p of PLATFORMS) {
        const findings = await rig.scan(p.name);
        if (p.healthy) expect(findings.filter((f) => f.status === 'unknown')).toEqual([]);
        scans++;
      }
      t += SCAN_EVERY;
    }
    expect(scans).toBe(PLATFORMS.length * 25);
    const healthy = PLATFORMS.filter((p) => p.healthy).map((p) => p.name);
    const about = (name: string) => [
      ...rig.sender.posts.filter((p) => mentions(p.message, name)),
      ...rig.sender.updates.filter((u) => mentions(u.message, name)),
    ];
    for (const name of healthy) expect({ name, messages: about(name) }).toEqual({ name, messages: [] });
    // Every message is about the lapsed platform: its NoEncryptionProvider alert, on Slack and Teams.
    expect(rig.sender.posts.length).toBeGreaterThan(0);
    for (const post of rig.sender.posts) expect(mentions(post.message, 'kubeadm-no-encryption')).toBe(true);
    expect(
      rig.sender.posts.some(
        (p) => !p.to.thread && mentions(p.message, 'secrets-at-rest NoEncryptionProvider'),
      ),
    ).toBe(true);
  }, 180_000);
});
