/**
 * Terminal chat (Hubot's Shell adapter idea): a `dp> ` prompt on a TTY; with piped input it answers
 * every line in order, waits for the updates those commands started, and resolves `finished` at EOF.
 */
import { userInfo } from 'node:os';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type {
  ChatAdapter,
  ClickListener,
  CommandListener,
  Conversation,
  MessageRef,
} from '../../../bot/chat-port.js';
import type { BotMessage } from '../../../bot/message.js';
import { renderText } from './render.js';
import { writeChart } from './write-chart.js';

export interface ShellAdapterOptions {
  /** OS or DPBOT_SHELL_USER name; identity is `shell:<user>`. */
  user: string;
  input: Readable;
  output: Writable;
  /** Prompt and keep going after errors; false for piped input. */
  interactive: boolean;
  /** How long to wait at EOF for pending updates. @defaultValue 120000 */
  updateTimeoutMs?: number;
  /** Where pictures (`/dp chart`, `/dp digest`) are written. @defaultValue ./.dpbot/charts */
  chartDir?: string;
}

export class ShellAdapter implements ChatAdapter {
  readonly platform = 'shell' as const;
  private commandListener?: CommandListener;
  private rl?: Interface;
  private seq = 0;
  private readonly pending = new Map<string, () => void>();
  private chain: Promise<void> = Promise.resolve();
  /** The reader of the output went away (`npm run demo | head`). */
  private outputClosed = false;
  private resolveFinished!: () => void;
  /** Resolves when input ended and every awaited update was printed (or timed out). */
  readonly finished = new Promise<void>((r) => {
    this.resolveFinished = r;
  });

  constructor(private readonly opts: ShellAdapterOptions) {}

  onCommand(listener: CommandListener): void {
    this.commandListener = listener;
  }
  onClick(_listener: ClickListener): void {
    // No buttons in a terminal: the rendered card shows the equivalent command.
  }

  async start(): Promise<void> {
    // A reader that goes away ends the session quietly, as Unix tools do, instead of crashing on EPIPE.
    this.opts.output.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      this.outputClosed = true;
      for (const resolve of this.pending.values()) resolve();
      this.pending.clear();
      this.rl?.close();
      this.resolveFinished();
    });
    this.rl = createInterface({ input: this.opts.input, terminal: false });
    this.rl.on('line', (line) => {
      this.chain = this.chain.then(() => this.handleLine(line));
    });
    this.rl.on('close', () => void this.drain());
    this.prompt();
  }

  async stop(): Promise<void> {
    this.rl?.close();
  }

  async send(to: Conversation, message: BotMessage): Promise<MessageRef> {
    const ref: MessageRef = { ...to, id: String(++this.seq) };
    this.print(message);
    return ref;
  }

  async update(ref: MessageRef, message: BotMessage): Promise<void> {
    this.print(message, `(update of reply #${ref.id})`);
    this.pending.get(ref.id)?.();
    this.pending.delete(ref.id);
  }

  private get conversation(): Conversation {
    return { platform: 'shell', channel: 'shell' };
  }

  private print(message: BotMessage, header?: string): void {
    if (this.outputClosed) return;
    const picture = message.image ? `\n${writeChart(message.image, this.opts.chartDir)}` : '';
    this.opts.output.write(`${header ? `${header}\n` : ''}${renderText(message)}${picture}\n\n`);
  }

  private prompt(): void {
    if (this.opts.interactive && !this.outputClosed) this.opts.output.write('dp> ');
  }

  private async handleLine(line: string): Promise<void> {
    if (this.outputClosed) return;
    const text = line.trim();
    if (!text || text.startsWith('#')) return this.prompt();
    if (text === 'exit' || text === 'quit') {
      this.rl?.close();
      return;
    }
    if (!this.commandListener) return;
    const reply = await this.commandListener({
      platform: 'shell',
      user: { id: `shell:${this.opts.user}`, groups: [], displayName: this.opts.user },
      conversation: this.conversation,
      text,
    });
    const ref = await this.send(this.conversation, reply.message);
    const followUp = await reply.afterPost?.(ref);
    if (followUp?.expectUpdate) {
      const done = new Promise<void>((r) => this.pending.set(ref.id, r));
      // Interactive users keep typing; piped input waits for the update before the next line.
      if (!this.opts.interactive) await this.withTimeout(done, ref.id);
    }
    this.prompt();
  }

  private async withTimeout(p: Promise<void>, id: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((r) => {
      timer = setTimeout(() => {
        if (!this.outputClosed)
          this.opts.output.write(
            `(no update of reply #${id} within ${(this.opts.updateTimeoutMs ?? 120_000) / 1000}s)\n`,
          );
        this.pending.delete(id);
        r();
      }, this.opts.updateTimeoutMs ?? 120_000);
    });
    await Promise.race([p, timeout]);
    clearTimeout(timer);
  }

  private async drain(): Promise<void> {
    await this.chain;
    await Promise.all(
      [...this.pending.entries()].map(([id, resolve]) =>
        this.withTimeout(
          new Promise<void>((r) =>
            this.pending.set(id, () => {
              resolve();
              r();
            }),
          ),
          id,
        ),
      ),
    );
    this.resolveFinished();
  }
}

/** `DPBOT_SHELL_USER`, else the OS user (DESIGN §4) — `$USER` is often unset in containers and CI. */
export function shellUser(env: NodeJS.ProcessEnv): string {
  if (env.DPBOT_SHELL_USER) return env.DPBOT_SHELL_USER;
  try {
    return userInfo().username || env.USER || 'operator';
  } catch {
    return env.USER || 'operator';
  }
}
