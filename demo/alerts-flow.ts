/**
 * `npm run demo:alerts`: an alert opening and resolving in place when a demo cluster's scenario changes.
 * The shell channel subscribes to store-042; a scan opens its alerts (openAfter is 1 in the demo); the
 * scenario is repaired (location available, fresh backup); the next scan resolves that same alert:
 * the card is edited and a "resolved" reply follows in its thread. Everything is the real dpbot.
 */
import { PassThrough } from 'node:stream';
import { createLogger } from '../bot/logger.js';
import { startDpbot } from '../bot/main.js';
import { startDemoFleet } from './demo-fleet.js';
import { demoScenarios } from './scenarios.js';

const CLUSTER = 'store-042';

async function main(): Promise<void> {
  const fleet = await startDemoFleet();
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let printed = '';
  stdout.on('data', (b: Buffer) => {
    printed += b.toString();
    process.stdout.write(b);
  });
  const waitFor = async (pattern: RegExp, from: number, timeoutMs = 60_000) => {
    const started = Date.now();
    while (!pattern.test(printed.slice(from))) {
      if (Date.now() - started > timeoutMs) throw new Error(`demo: timed out waiting for ${pattern}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const say = (line: string) => {
    process.stdout.write(`\n### ${line}\n\n`);
  };
  const bot = await startDpbot({
    configPath: fleet.configPath,
    logger: createLogger(process.env.LOG_LEVEL ?? 'warn'),
    secretMetadataSource: fleet.secretMetadataSource,
    arcFleetSource: fleet.arcFleetSource,
    stdin,
    stdout,
    env: { ...process.env, DPBOT_SHELL_USER: process.env.DPBOT_SHELL_USER || 'alice' },
  });
  try {
    say(`route ${CLUSTER}'s alerts to this terminal`);
    stdin.write(`/dp subscribe ${CLUSTER}\n`);
    say(`scan ${CLUSTER}: its lapses open alerts (openAfter: 1 in the demo)`);
    let mark = printed.length;
    stdin.write(`/dp status ${CLUSTER}\n`);
    await waitFor(/BackupLocationUnavailable[\s\S]*Snooze 4h/, mark);
    await new Promise((r) => setTimeout(r, 1500));
    say(`${CLUSTER} is repaired: the backup location is available again and a fresh backup completed`);
    demoScenarios.repaired({ ...fleet.world, now: Date.now() }, CLUSTER);
    mark = printed.length;
    stdin.write(`/dp status ${CLUSTER}\n`);
    await waitFor(/[Rr]esolved/, mark);
    await new Promise((r) => setTimeout(r, 1500));
    say('open alerts now');
    stdin.end(`/dp alerts ${CLUSTER}\n`);
    await bot.shell?.finished;
  } finally {
    await bot.stop();
    await fleet.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  },
);
