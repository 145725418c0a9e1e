/**
 * Chat responsiveness: correctly signed `/dp status <cluster>` slash commands to the web-role dpbot's
 * Slack endpoint, at a fixed concurrency. Ack = the HTTP answer to Slack's POST; answer = the visible
 * `chat.postMessage` reaching the fake Slack Web API; fresh = the `chat.update` after the re-scan.
 */
import type { FakeSlackApi } from '../test/fakes/slack-api/fake-slack-api.js';
import { postSigned, slashCommandBody } from '../test/fakes/slack-api/slack-requests.js';

export interface SlashResult {
  sent: number;
  failed: number;
  ackMs: number[];
  answerMs: number[];
  /** Filled by `waitFresh` as the re-scans finish. */
  freshMs: number[];
  waitFresh(timeoutMs: number): Promise<void>;
}

export async function slashLoad(o: {
  url: string;
  secret: string;
  slack: FakeSlackApi;
  clusters: string[];
  count: number;
  concurrency: number;
}): Promise<SlashResult> {
  const result: SlashResult = {
    sent: 0,
    failed: 0,
    ackMs: [],
    answerMs: [],
    freshMs: [],
    waitFresh: async () => undefined,
  };
  const fresh: Promise<unknown>[] = [];
  let next = 0;
  const one = async (i: number) => {
    const channel = `CB${i}`;
    const cluster = o.clusters[(i * 7919) % o.clusters.length];
    const started = performance.now();
    const posted = o.slack.waitFor('chat.postMessage', (c) => c.body.channel === channel);
    fresh.push(
      o.slack
        .waitFor('chat.update', (c) => c.body.channel === channel)
        .then(() => result.freshMs.push(performance.now() - started)),
    );
    result.sent++;
    const body = slashCommandBody({
      text: `status ${cluster}`,
      channel,
      responseUrl: o.slack.responseUrl(`r${i}`),
    });
    const res = await postSigned(o.url, body, { secret: o.secret });
    if (res.status !== 200) {
      result.failed++;
      return;
    }
    result.ackMs.push(performance.now() - started);
    await posted;
    result.answerMs.push(performance.now() - started);
  };
  const lane = async () => {
    while (next < o.count) await one(next++);
  };
  await Promise.all(Array.from({ length: o.concurrency }, lane));
  result.waitFresh = async (timeoutMs) => {
    await Promise.race([Promise.all(fresh), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  };
  return result;
}
