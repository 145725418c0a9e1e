/**
 * The shell for the contract suite: lines piped into the real ShellAdapter's stdin, each printed
 * message read back from its stdout (one write per message). A terminal has one user and no buttons:
 * a card prints the command to type instead (`[Approve: /dp approve <id> | …]`).
 */
import { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import { startContractBot } from './contract-bot.js';
import type { ChatDriver, ChatPlatformDriver, ContractUser, Seen, SeenButton } from './driver.js';

/** The one OS user at this terminal. */
const USER: ContractUser = 'alice';
const UPDATE = /^\(update of reply #(\d+)\)\n/;

export const shellDriver: ChatPlatformDriver = {
  platform: 'shell',
  can: { ephemeralCommands: false, buttons: false },
  async start(): Promise<ChatDriver> {
    const printed: string[] = [];
    const events = new EventEmitter();
    const stdout = new Writable({
      write(chunk: Buffer, _encoding, done) {
        printed.push(chunk.toString());
        events.emit('printed');
        done();
      },
    });
    const stdin = new PassThrough();
    const ids = { alice: `shell:${USER}`, bob: 'shell:bob' };
    const contract = await startContractBot({ ids, env: { DPBOT_SHELL_USER: USER }, stdin, stdout });
    const onPrint = (listener: () => void) => {
      events.on('printed', listener);
      return () => events.off('printed', listener);
    };
    /** The next message printed after `start` that is not an update: the shell numbers those 1, 2, … */
    const nextMessage = (start: number, what: string) =>
      whenSeen(
        onPrint,
        () => {
          const i = printed.findIndex((p, n) => n >= start && !UPDATE.test(p));
          if (i < 0) return undefined;
          const id = printed.slice(0, i + 1).filter((p) => !UPDATE.test(p)).length;
          return seen(String(id), printed[i]);
        },
        what,
      );
    return {
      ids,
      async command(text) {
        const start = printed.length;
        stdin.write(`${text}\n`);
        return nextMessage(start, `the reply to "${text}"`);
      },
      updateOf(message, match) {
        return whenSeen(
          onPrint,
          () => {
            const update = printed.find((p) => UPDATE.exec(p)?.[1] === message.id && match(p));
            return update === undefined ? undefined : { ...seen(message.id, update), replaced: true };
          },
          `an update of reply #${message.id}`,
        );
      },
      async post(message) {
        const start = printed.length;
        await contract.notify({ platform: 'shell', channel: 'shell' }, message);
        return nextMessage(start, `"${message.summary}" printed`);
      },
      async click() {
        throw new Error('the shell has no buttons: type the command the card shows');
      },
      close: () => contract.close(),
    };
  },
};

function seen(id: string, text: string): Seen {
  return { id, text, ephemeral: false, replaced: false, buttons: buttonsOf(text) };
}

/** `  [Approve: /dp approve k3J9xQ2m | Reject: /dp reject k3J9xQ2m]`: each button's command text. */
function buttonsOf(text: string): SeenButton[] {
  const line = text.split('\n').find((l) => /^ {2}\[.*: \/dp .*\]$/.test(l));
  if (!line) return [];
  return line
    .trim()
    .slice(1, -1)
    .split(' | ')
    .map((b) => {
      const [label, command] = b.split(': /dp ');
      return { verb: command.split(' ')[0], label, handle: `/dp ${command}` };
    });
}

/** Resolves once `ready()` gives a value; `on` says when something new arrived. */
function whenSeen<T>(
  on: (listener: () => void) => () => void,
  ready: () => T | undefined,
  what: string,
  timeoutMs = 25_000,
): Promise<T> {
  const now = ready();
  if (now !== undefined) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`not seen within ${timeoutMs} ms: ${what}`));
    }, timeoutMs);
    const off = on(() => {
      const v = ready();
      if (v === undefined) return;
      clearTimeout(timer);
      off();
      resolve(v);
    });
  });
}
