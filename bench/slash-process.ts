/** Child process: sends the signed slash commands of a SlashPlan at its concurrency and times the acks. */
import { postSigned, slashCommandBody } from '../test/fakes/slack-api/slack-requests.js';
import { serve } from './ipc.js';
import { channelOf, type SlashPlan, type SlashTimes } from './slash-load.js';

serve({
  async run(body): Promise<SlashTimes> {
    const p = body as SlashPlan;
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
        const res = await postSigned(p.url, text, { secret: p.secret }).catch(() => undefined);
        times.ackedAt[i] = res?.status === 200 ? Date.now() : 0;
      }
    };
    await Promise.all(Array.from({ length: p.concurrency }, lane));
    return times;
  },
});
process.on('disconnect', () => process.exit(0));
