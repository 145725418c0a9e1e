/** Tiny request/reply over a forked child's IPC channel, so each part of the benchmark runs in its own process. */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';

export interface Usage {
  /** Peak resident set size, MB. */
  peakRssMb: number;
  rssMb: number;
  heapUsedMb: number;
  /** User + system CPU since the process started, ms. */
  cpuMs: number;
}

interface Envelope {
  id: number;
  type: string;
  body?: unknown;
  error?: string;
}

export function usage(): Usage {
  const u = process.resourceUsage();
  return {
    peakRssMb: u.maxRSS / 1024,
    rssMb: process.memoryUsage().rss / 1048576,
    heapUsedMb: process.memoryUsage().heapUsed / 1048576,
    cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000,
  };
}

/** In a child: answers requests by type; `usage` is always served. */
export function serve(handlers: Record<string, (body: unknown) => unknown>): void {
  const all: Record<string, (body: unknown) => unknown> = { usage: () => usage(), ...handlers };
  process.on('message', (m: Envelope) => {
    const h = all[m.type];
    Promise.resolve()
      .then(() => (h ? h(m.body) : Promise.reject(new Error(`no handler for ${m.type}`))))
      .then(
        (body) => process.send?.({ id: m.id, type: 'reply', body }),
        (err: Error) => process.send?.({ id: m.id, type: 'reply', error: err.stack ?? err.message }),
      );
  });
}

export class Child {
  private seq = 0;
  private readonly pending = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();

  private constructor(readonly proc: ChildProcess) {
    proc.on('message', (m: Envelope) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.fail(new Error(m.error));
      else p.ok(m.body);
    });
    proc.on('exit', (code) => {
      for (const p of this.pending.values()) p.fail(new Error(`child exited with ${code}`));
      this.pending.clear();
    });
  }

  /** Forks an entry (`.ts` through tsx, compiled `.js` as production runs it); stderr to `stderr` when given. */
  static start(
    entry: string,
    env: NodeJS.ProcessEnv,
    stderr?: NodeJS.WritableStream,
    nodeArgs: string[] = [],
  ): Child {
    const proc = fork(entry, [], {
      execArgv: entry.endsWith('.ts') ? [...nodeArgs, '--import', 'tsx'] : nodeArgs,
      env,
      stdio: ['ignore', 'ignore', stderr ? 'pipe' : 'inherit', 'ipc'],
    });
    if (stderr) proc.stderr?.pipe(stderr);
    return new Child(proc);
  }

  request<T>(type: string, body?: unknown): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((ok, fail) => {
      this.pending.set(id, { ok: ok as (v: unknown) => void, fail });
      this.proc.send({ id, type, body });
    });
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = once(this.proc, 'exit');
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
