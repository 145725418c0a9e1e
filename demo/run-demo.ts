/**
 * `npm run demo`: the real dpbot (shell adapter, BullMQ, Redis, client-node, Key Vault SDK) against
 * simulated clusters served by loopback fakes. Try: `printf '/dp status all\n' | npm run demo`.
 */
import { PassThrough } from 'node:stream';
import { DpbotError } from '../bot/errors.js';
import { createLogger } from '../bot/logger.js';
import { startDpbot } from '../bot/main.js';
import type { PostureStore } from '../jobs/posture.js';
import { startDemoFleet } from './demo-fleet.js';
import { demoFleet } from './scenarios.js';

async function main(): Promise<void> {
  const fleet = await startDemoFleet();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  // Typed lines wait until every cluster has been scanned once, so /dp chart has something to draw.
  const stdin = Object.assign(new PassThrough(), { isTTY: process.stdin.isTTY });
  const bot = await startDpbot({
    configPath: fleet.configPath,
    logger,
    secretMetadataSource: fleet.secretMetadataSource,
    stdin,
    arcFleetSource: fleet.arcFleetSource,
  });
  await firstScans(
    bot.postures,
    bot.config.clusters.map((c) => c.name),
  );
  process.stdin.pipe(stdin);
  process.stderr.write(
    `dpbot demo: ${demoFleet.map((c) => `${c.name} (${c.scenario})`).join(', ')}. Type /dp help.\n`,
  );
  const stop = async () => {
    await bot.stop();
    await fleet.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  await bot.shell?.finished;
  await stop();
}

async function firstScans(postures: PostureStore, names: string[], timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await postures.getMany(names)).size < names.length && Date.now() < until)
    await new Promise((r) => setTimeout(r, 200));
}

main().catch((err) => {
  process.stderr.write(`dpbot demo: ${err instanceof DpbotError ? err.message : (err as Error).stack}\n`);
  process.exit(1);
});
