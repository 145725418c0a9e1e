/**
 * Chat responsiveness: correctly signed `/dp status <cluster>` slash commands to the web-role dpbot's
 * Slack endpoint, at a fixed concurrency, sent from their own process (bench/slash-process.ts) so the
 * harness's own work does not delay them. Ack = the HTTP answer to Slack's POST; answer = the visible
 * `chat.postMessage` reaching the fake Slack Web API; fresh = the `chat.update` after the re-scan.
 */
import type { FakeSlackApi } from '../test/fakes/slack-api/fake-slack-api.js';
import type { Child } from './ipc.js';

export interface SlashPlan {
  url: string;
  secret: string;
  responseBase: string;
  clusters: string[];
  count: number;
  concurrency: number;
}

/** Per command: epoch ms when sent and when acked (0 = failed). */
export interface SlashTimes {
  sentAt: number[];
  ackedAt: number[];
}

export interface SlashResult {
  sent: number;
  failed: number;
  ackMs: number[];
  /** Acks of the first `concurrency` commands (each opens a new connection to a web role that is just up). */
  firstAckMs: number[];
  /** Acks of the rest (kept-alive connections, a warm process). */
  laterAckMs: number[];
  answerMs: number[];
  /** Filled by `waitFresh` as the re-scans finish. */
  freshMs: number[];
  waitFresh(timeoutMs: number): Promise<void>;
}

export const channelOf = (i: number) => `CB${i}`;

export async function slashLoad(sender: Child, slack: FakeSlackApi, plan: SlashPlan): Promise<SlashResult> {
  const posted: number[] = [];
  const updated: number[] = [];
  const answers: Promise<unknown>[] = [];
  const fresh: Promise<unknown>[] = [];
  for (let i = 0; i < plan.count; i++) {
    const channel = channelOf(i);
    answers.push(
      slack
        .waitFor('chat.postMessage', (c) => c.body.channel === channel)
        .then(() => (posted[i] = Date.now())),
    );
    fresh.push(
      slack.waitFor('chat.update', (c) => c.body.channel === channel).then(() => (updated[i] = Date.now())),
    );
  }
  const t = await sender.request<SlashTimes>('run', plan);
  const ok = t.ackedAt.map((a, i) => (a > 0 ? i : -1)).filter((i) => i >= 0);
  await Promise.race([Promise.all(answers), new Promise((r) => setTimeout(r, 30_000).unref())]);
  const result: SlashResult = {
    sent: plan.count,
    failed: plan.count - ok.length,
    ackMs: ok.map((i) => t.ackedAt[i] - t.sentAt[i]),
    firstAckMs: ok.filter((i) => i < plan.concurrency).map((i) => t.ackedAt[i] - t.sentAt[i]),
    laterAckMs: ok.filter((i) => i >= plan.concurrency).map((i) => t.ackedAt[i] - t.sentAt[i]),
    answerMs: ok.filter((i) => posted[i]).map((i) => posted[i] - t.sentAt[i]),
    freshMs: [],
    waitFresh: async (timeoutMs) => {
      await Promise.race([Promise.all(fresh), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
      result.freshMs = ok.filter((i) => updated[i]).map((i) => updated[i] - t.sentAt[i]);
    },
  };
  return result;
}
