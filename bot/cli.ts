/** `npm start [-- --config FILE] [--role web|worker|all]` */
import { parseArgs } from 'node:util';
import { ConfigError, DpbotError } from './errors.js';
import { createLogger } from './logger.js';
import { type Role, startDpbot } from './main.js';
import { lowerWorkerPriority } from './process-priority.js';

const logger = createLogger();

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: { config: { type: 'string' }, role: { type: 'string', default: 'all' } },
    allowPositionals: false,
  });
  const role = values.role as Role;
  if (!['web', 'worker', 'all'].includes(role))
    throw new ConfigError([`--role: must be web, worker or all, not "${role}"`]);
  lowerWorkerPriority(role, process.env, logger);
  const bot = await startDpbot({ configPath: values.config, role, logger });
  let exiting = false;
  const shutdown = async (signal: string) => {
    if (exiting) return;
    exiting = true;
    logger.info({ signal }, 'stopping');
    await bot.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  if (bot.shell) {
    await bot.shell.finished;
    await shutdown('EOF');
  }
}

run().catch((err) => {
  if (err instanceof DpbotError) {
    process.stderr.write(`dpbot: ${err.message}\n`);
    logger.fatal({ code: err.code }, err.message.split('\n')[0]);
  } else logger.fatal({ err }, 'startup failed');
  process.exit(1);
});
