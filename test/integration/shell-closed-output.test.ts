/**
 * `printf '…' | npm run demo | head -3`: when the reader of dpbot's output goes away, the terminal chat
 * ends quietly (exit 0, no EPIPE stack trace), as Unix tools do.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

jest.setTimeout(90_000);

const root = resolve(__dirname, '../..');

it('ends the demo quietly when its output is closed after the first lines', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/run-demo.ts'], {
    cwd: root,
    // No REDIS_URL: the demo starts its private redis-server, as for a user, and leaves nothing behind
    // in the tests' Redis (its keys use the default prefix).
    env: { ...process.env, REDIS_URL: '', DPBOT_SHELL_USER: 'reader', LOG_LEVEL: 'warn' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  // Like `head`: read the first chunk, then close our end of the pipe.
  const first = new Promise<string>((ok) => child.stdout.once('data', (d: Buffer) => ok(d.toString())));
  child.stdin.end('clusters\nstatus all\nclusters\nstatus all\nwhoami\n');
  expect(await first).toContain('Fleet: 5 clusters'); // 3 with kubeconfigs + 2 Azure-only (demo/demo-arc.ts)
  child.stdout.destroy();

  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  expect(stderr).not.toContain('EPIPE');
  expect(stderr).not.toContain('Error');
  expect([code, signal]).toEqual([0, null]);
});
