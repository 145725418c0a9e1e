/**
 * `npm start` with a bad flag, environment or config file (DESIGN §3): exit code 1, the field and its fix
 * on stderr, no stack trace, and nothing started (every case fails before Redis).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const badConfig = join(mkdtempSync(join(tmpdir(), 'dpbot-cli-')), 'bad.yaml');
writeFileSync(badConfig, 'defaults: { scanInterval: 15 }\n');

function start(args: string[], env: Record<string, string>) {
  const { DPBOT_CONFIG: _c, LOG_LEVEL: _l, PORT: _p, ...rest } = process.env;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bot/cli.ts', ...args], {
    cwd: root,
    env: { ...rest, REDIS_URL: 'redis://127.0.0.1:1', ...env },
    input: '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stderr: r.stderr };
}

describe('npm start refuses bad input before it starts', () => {
  it.each([
    [['--bogus'], {}, "Unknown option '--bogus'; usage: npm start"],
    [['extra'], {}, "Unexpected argument 'extra'"],
    [['--role', 'both'], {}, '--role: must be web, worker or all'],
    [[], { LOG_LEVEL: 'loud' }, 'LOG_LEVEL: must be a pino level'],
    [[], { PORT: 'abc' }, 'PORT: must be a TCP port number'],
    [[], { DPBOT_CONFIG: badConfig }, 'defaults.scanInterval: must be a duration like 90s'],
  ])('%j %j → %s', (args, env, expected) => {
    const { status, stderr } = start(args, env as Record<string, string>);
    expect(status).toBe(1);
    expect(stderr).toContain('dpbot: invalid configuration');
    expect(stderr).toContain(expected);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
