/**
 * A real dpbot process (`bot/cli.ts --role all`) for crash tests: started with node itself (not npx) so a
 * SIGKILL and the exit signal are the worker's own. `crash` preloads test/support/crash-after-create.ts,
 * which SIGKILLs the process right after the Velero create.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { redisUrl } from './redis.js';

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves when the worker's stdout has printed `text`; rejects if it exits first. */
  printed(text: string): Promise<void>;
}

const root = resolve(__dirname, '../..');

export function startWorkerProcess(configPath: string, crash = false): WorkerProcess {
  const preload = crash ? ['--import', './test/support/crash-after-create.ts'] : [];
  const child = spawn(process.execPath, ['--import', 'tsx', ...preload, 'bot/cli.ts', '--role', 'all'], {
    cwd: root,
    env: {
      ...process.env,
      DPBOT_CONFIG: configPath,
      REDIS_URL: redisUrl(),
      DPBOT_SHELL_USER: 'worker',
      LOG_LEVEL: 'warn',
      PORT: '',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  const waiting: { text: string; done: () => void }[] = [];
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of [...waiting]) {
      if (!out.includes(w.text)) continue;
      waiting.splice(waiting.indexOf(w), 1);
      w.done();
    }
  });
  child.stderr?.on('data', () => undefined);
  return {
    child,
    printed: (text) =>
      new Promise<void>((ok, fail) => {
        if (out.includes(text)) return ok();
        waiting.push({ text, done: ok });
        child.once('exit', () => fail(new Error(`worker exited before printing "${text}"; stdout:\n${out}`)));
      }),
  };
}
