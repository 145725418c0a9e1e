/** A scripted shell user for the demos: lines in, prefixed output to stdout, waits on what it printed. */
import { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';

/** A shell user: lines in, prefixed output to stdout, and a way to wait for what it printed. */
export class ShellUser extends EventEmitter {
  readonly input = new PassThrough();
  private text = '';
  readonly output = new Writable({
    write: (chunk: Buffer, _enc, done) => {
      const s = chunk.toString();
      this.text += s;
      process.stdout.write(s.replace(/^(?=.)/gm, `${this.name.padEnd(5)}│ `));
      this.emit('printed');
      done();
    },
  });
  constructor(readonly name: string) {
    super();
  }
  say(line: string): void {
    process.stdout.write(`\n${this.name.padEnd(5)}> ${line}\n`);
    this.input.write(`${line}\n`);
  }
  /** Resolves with the first match of `re` printed after `from` characters. */
  waitFor(re: RegExp, from = 0, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    return new Promise((ok, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`${this.name}: no ${re} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const check = () => {
        const m = this.text.slice(from).match(re);
        if (!m) return;
        clearTimeout(timer);
        this.off('printed', check);
        ok(m);
      };
      this.on('printed', check);
      check();
    });
  }
  get length(): number {
    return this.text.length;
  }
}
