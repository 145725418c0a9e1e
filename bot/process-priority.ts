/**
 * A worker-only process lowers its own CPU priority (`nice`): scans are batch work, acking a slash
 * command is not. When web and worker roles share a machine's cores (compose, one VM, one node without
 * CPU limits), the kernel then runs the web role first; a scan merely finishes a little later. Within
 * separate containers with their own CPU it changes nothing. `DPBOT_WORKER_NICE`: 0–19, default 10, 0 = off.
 */
import { getPriority, setPriority } from 'node:os';
import type { Logger } from './logger.js';
import type { Role } from './main.js';

export const DEFAULT_WORKER_NICE = 10;

/** Returns the niceness applied, or undefined when left alone. Never raises a priority. */
export function lowerWorkerPriority(
  role: Role,
  env: NodeJS.ProcessEnv,
  logger: Pick<Logger, 'info' | 'warn'>,
  pid = 0,
): number | undefined {
  if (role !== 'worker') return undefined;
  const raw = env.DPBOT_WORKER_NICE;
  const nice = raw === undefined || raw === '' ? DEFAULT_WORKER_NICE : Number(raw);
  if (!Number.isInteger(nice) || nice < 0 || nice > 19) {
    logger.warn({ DPBOT_WORKER_NICE: raw }, 'DPBOT_WORKER_NICE must be a whole number 0–19; left as is');
    return undefined;
  }
  if (nice === 0) return undefined;
  try {
    const target = Math.max(getPriority(pid), nice);
    setPriority(pid, target);
    logger.info({ nice: target }, 'worker runs at lower CPU priority than chat (DPBOT_WORKER_NICE)');
    return target;
  } catch (err) {
    logger.warn({ err }, 'cannot lower the worker CPU priority');
    return undefined;
  }
}
