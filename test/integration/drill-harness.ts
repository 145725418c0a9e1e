/** A drill-ready cluster on the fake API: backups, the app namespaces they hold, a simulated Velero. */
import { buildConfig, type DpbotConfig } from '../../bot/config.js';
import type { BotMessage } from '../../bot/message.js';
import * as b from '../fakes/kube-api/builders.js';
import { appNamespace } from '../fakes/kube-api/drill-builders.js';
import type { RequestLogEntry } from '../fakes/kube-api/fake-kube-api.js';
import { VeleroSimulator } from '../fakes/kube-api/velero-simulator.js';
import { type Harness, type HarnessOptions, startHarness, text } from './approval-harness.js';

export const BACKUP = 'nightly-20261125020000';

export function drillConfig(drills: Record<string, unknown> = {}): DpbotConfig {
  return buildConfig(
    {
      defaults: {
        approvals: { required: 1, expiresAfter: '1h' },
        alerts: { openAfter: 1 },
        drills: { timeout: '2s', ...drills },
      },
      clusters: [
        {
          name: 'store-1',
          access: {
            viewers: ['*'],
            operators: ['shell:alice'],
            approvers: ['shell:alice', 'shell:bob'],
          },
        },
      ],
    },
    'test',
  );
}

export interface DrillRig {
  h: Harness;
  velero: VeleroSimulator;
}

/** Two app namespaces (pos, db) live and in the backup; an older backup; a Failed and a manual one. */
export async function startDrillRig(config = drillConfig(), opts: HarnessOptions = {}): Promise<DrillRig> {
  const h = await startHarness(config, opts);
  const c = h.fake.cluster('store-1');
  c.put(b.backupStorageLocation());
  c.put(
    b.schedule('nightly', { spec: { template: { includedNamespaces: ['pos', 'db'], ttl: '720h0m0s' } } }),
  );
  c.put(
    b.backup(BACKUP, { schedule: 'nightly', ageMinutes: 60, spec: { includedNamespaces: ['pos', 'db'] } }),
  );
  c.put(
    b.backup('nightly-20261124020000', {
      schedule: 'nightly',
      ageMinutes: 1500,
      spec: { includedNamespaces: ['pos', 'db'] },
    }),
  );
  c.put(b.backup('nightly-failed', { schedule: 'nightly', phase: 'Failed', ageMinutes: 10 }));
  c.put(b.backup('manual-1', { phase: 'PartiallyFailed', status: { errors: 2 } }));
  for (const ns of ['velero', 'pos', 'db']) c.put(b.namespace(ns));
  const live = [...appNamespace('pos'), ...appNamespace('db')];
  for (const o of live) c.put(o);
  const velero = new VeleroSimulator(c).backupContents(BACKUP, live);
  return { h, velero };
}

export const hasButtons = (m: BotMessage) => Boolean(m.buttons?.length);

/** alice asks for a drill; resolves once preflight turned the reply into the approval card. */
export async function proposeDrill(h: Harness, flags = '--namespaces pos') {
  const { reply, ref } = await h.command('alice', `drill store-1 ${flags}`);
  expect(reply.ephemeral).toBeFalsy();
  const card = await h.chat.waitForCard(ref.id, (m) => hasButtons(m) || text(m).includes('not proposed'));
  const value = card.buttons?.[0]?.value ?? {};
  return { ref, card, value };
}

/** Writes (anything but GET) the fake received for store-1. */
export function writes(h: Harness): RequestLogEntry[] {
  return h.fake.requests.filter((r) => r.cluster === 'store-1' && r.method !== 'GET');
}

/** Is this write inside what a drill may touch: its scratch namespaces, PVs of them, the Velero namespace. */
export function insideDrill(w: RequestLogEntry, scratch: string[], pvNames: Set<string>): boolean {
  if (w.path === '/api/v1/namespaces') return w.method === 'POST' && scratch.includes(w.bodyName ?? '');
  const ns = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(w.path);
  if (ns) return w.method === 'DELETE' && scratch.includes(ns[1]);
  const pv = /^\/api\/v1\/persistentvolumes\/([^/]+)$/.exec(w.path);
  if (pv) return w.method === 'DELETE' && pvNames.has(pv[1]);
  return /^\/apis\/velero\.io\/v1\/namespaces\/velero\/restores(\/[^/]+)?$/.test(w.path);
}
