/**
 * `npm run demo`: the real dpbot (shell adapter, BullMQ, Redis, client-node) against three simulated
 * clusters served by the fake Kubernetes API. Try: `printf '/dp status all\n' | npm run demo`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { DpbotError } from '../bot/errors.js';
import { createLogger } from '../bot/logger.js';
import { startDpbot } from '../bot/main.js';
import { FakeKubeApi } from '../test/fakes/kube-api/fake-kube-api.js';
import { demoFleet, scenarios } from './scenarios.js';

async function main(): Promise<void> {
  const dir = resolve('.dpbot', 'demo');
  mkdirSync(dir, { recursive: true });
  const fake = await FakeKubeApi.start({ latencyMs: 5 });
  const now = Date.now();
  for (const c of demoFleet) if (c.scenario !== 'unreachable') scenarios[c.scenario](fake, c.name, now);
  const kubeconfig = resolve(dir, 'kubeconfig');
  fake.writeKubeconfig(
    kubeconfig,
    demoFleet.map((c) => c.name),
    { unreachable: demoFleet.filter((c) => c.scenario === 'unreachable').map((c) => c.name) },
  );
  const user = process.env.DPBOT_SHELL_USER || process.env.USER || 'operator';
  const config = {
    defaults: { scanInterval: '1m', alerts: { openAfter: 1 } },
    clusters: demoFleet.map((c) => ({
      name: c.name,
      kubeconfig,
      context: c.name,
      // The demo names its own shell users: alice proposes, bob approves (and whoever runs it may view).
      access: { viewers: ['*'], operators: ['shell:alice', `shell:${user}`], approvers: ['shell:bob'] },
    })),
  };
  const configPath = resolve(dir, 'config.yaml');
  writeFileSync(configPath, stringify(config));

  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const bot = await startDpbot({ configPath, logger });
  process.stderr.write(
    `dpbot demo: ${demoFleet.map((c) => `${c.name} (${c.scenario})`).join(', ')}. Type /dp help.\n`,
  );
  const stop = async () => {
    await bot.stop();
    await fake.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  await bot.shell?.finished;
  await stop();
}

main().catch((err) => {
  process.stderr.write(`dpbot demo: ${err instanceof DpbotError ? err.message : (err as Error).stack}\n`);
  process.exit(1);
});
