/** Shared parts of the alert integration tests: a recording chat sender, a healthy fake cluster, waits. */
import type { Queue } from 'bullmq';
import type { Conversation, MessageRef } from '../../bot/chat-port.js';
import type { BotMessage } from '../../bot/message.js';
import type { ChatSender } from '../../jobs/notify-job.js';
import * as b from '../fakes/kube-api/builders.js';
import type { ObjectRef } from '../fakes/kube-api/fake-cluster.js';
import type { FakeKubeApi } from '../fakes/kube-api/fake-kube-api.js';

export interface Post {
  to: Conversation;
  message: BotMessage;
  ref: MessageRef;
}

/** A ChatSender (what the real notify processor calls) that records every post and edit. */
export class RecordingSender implements ChatSender {
  readonly posts: Post[] = [];
  readonly updates: { ref: MessageRef; message: BotMessage }[] = [];
  private seq = 0;
  async send(to: Conversation, message: BotMessage): Promise<MessageRef> {
    const ref = { ...to, id: `msg-${++this.seq}` };
    this.posts.push({ to, message, ref });
    return ref;
  }
  async update(ref: MessageRef, message: BotMessage): Promise<void> {
    this.updates.push({ ref, message });
  }
}

export const mentions = (m: BotMessage, text: string) => JSON.stringify(m).includes(text);

export async function waitFor(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every queued notification has been delivered (or failed). */
export async function settled(queue: Queue): Promise<void> {
  await waitFor('the notify queue to drain', async () => {
    const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    return Object.values(c).every((n) => n === 0);
  });
}

/** A cluster where every check that can run from Kubernetes alone is ok. */
export function seedHealthy(fake: FakeKubeApi, name: string): void {
  const c = fake.cluster(name);
  c.put(b.namespace('velero'));
  c.put(b.namespace('pos'));
  c.put(b.backupStorageLocation());
  c.put(b.schedule('nightly'));
  c.put(b.backup('nightly-20260101020000', { schedule: 'nightly' }));
  c.put(b.pvc('data', { namespace: 'pos' }));
  c.put(b.storageClass('default', 'disk.csi.azure.com'));
  c.put(b.deployment());
  c.put(b.secretSync('db-password'));
  c.put(b.secretProviderClass());
  c.put(b.gitRepository());
  c.put(b.kustomization());
  // The Flux controllers that keep those objects' status current.
  c.put(b.deployment('source-controller', { namespace: 'flux-system' }));
  c.put(b.deployment('kustomize-controller', { namespace: 'flux-system' }));
  c.setRaw('/readyz', '[+]ping ok\n[+]kms-provider-0 ok\nreadyz check passed\n');
  c.setRaw(
    '/metrics',
    'apiserver_storage_transformation_operations_total{transformer_prefix="k8s:enc:kms:v2:"} 3\n',
  );
}

/** The default backup location, as the fake's patchStatus identifies it. */
export const BSL: ObjectRef = {
  apiVersion: 'velero.io/v1',
  kind: 'BackupStorageLocation',
  metadata: { name: 'default', namespace: 'velero' },
};
