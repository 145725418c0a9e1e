/**
 * Child process: sends the signed slash commands of a SlashPlan at its concurrency and times the acks.
 * Posts with node:http over a keep-alive pool, as a load generator should: global fetch (undici) costs
 * the sender itself ~0.5 ms of CPU per request, so 50 requests in flight against a no-op server already
 * measured p50 30 ms, p99 110–370 ms — the sender's own queue, not dpbot's.
 */
import { Agent, request } from 'node:http';
import { slackSignature, slashCommandBody } from '../test/fakes/slack-api/slack-requests.js';
import { serve } from './ipc.js';
import { channelOf, type SlashPlan, type SlashTimes } from './slash-load.js';

function postSigned(url: URL, agent: Agent, body: string, secret: string): Promise<number> {
  const ts = Math.floor(Date.now() / 1000);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          'x-slack-request-timestamp': String(ts),
          'x-slack-signature': slackSignature(secret, ts, body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

serve({
  async run(body): Promise<SlashTimes> {
    const p = body as SlashPlan;
    const url = new URL(p.url);
    const agent = new Agent({ keepAlive: true, maxSockets: p.concurrency });
    const times: SlashTimes = { sentAt: [], ackedAt: [] };
    let next = 0;
    const lane = async () => {
      while (next < p.count) {
        const i = next++;
        const cluster = p.clusters[(i * 7919) % p.clusters.length];
        const text = slashCommandBody({
          text: `status ${cluster}`,
          channel: channelOf(i),
          responseUrl: `${p.responseBase}r${i}`,
        });
        times.sentAt[i] = Date.now();
        const status = await postSigned(url, agent, text, p.secret).catch(() => 0);
        times.ackedAt[i] = status === 200 ? Date.now() : 0;
      }
    };
    await Promise.all(Array.from({ length: p.concurrency }, lane));
    agent.destroy();
    return times;
  },
});
process.on('disconnect', () => process.exit(0));
