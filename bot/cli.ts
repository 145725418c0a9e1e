/** `npm start [-- --config FILE] [--role web|worker|all]` */
import { parseArgs } from 'node:util';
import { ConfigError, DpbotError } from './errors.js';
import { createLogger, type Logger } from './logger.js';
import { type Role, startDpbot } from './main.js';
import { lowerWorkerPriority } from './process-priority.js';
import { loadRuntimeEnv } from './runtime-env.js';

const USAGE = 'usage: npm start [-- --config FILE] [--role web|worker|all]';

// Created once LOG_LEVEL is known to be a level: pino throws on any other.
let logger: Logger | undefined;

function readArgs(): { config?: string; role: string } {
  try {
    const { values } = parseArgs({
      options: { config: { type: 'string' }, role: { type: 'string', default: 'all' } },
      allowPositionals: false,
    });
    return values;
  } catch (err) {
    throw new ConfigError([`${(err as Error).message}; ${USAGE}`]);
  }
}

async function run(): Promise<void> {
  const env = loadRuntimeEnv(process.env);
  const log = createLogger(env.LOG_LEVEL);
  logger = log;
  const values = readArgs();
  const role = values.role as Role;
  if (!['web', 'worker', 'all'].includes(role))
    throw new ConfigError([`--role: must be web, worker or all, not "${role}"`]);
  lowerWorkerPriority(role, process.env, log);
  const bot = await startDpbot({ configPath: values.config, role, logger: log });
  let exiting = false;
  const shutdown = async (signal: string) => {
    if (exiting) return;
    exiting = true;
    log.info({ signal }, 'stopping');
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
    logger?.fatal({ code: err.code }, err.message.split('\n')[0]);
  } else (logger ?? createLogger('info')).fatal({ err }, 'startup failed');
  process.exit(1);
});
