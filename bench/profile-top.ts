/**
 * `npx tsx bench/profile-top.ts FILE.cpuprofile [N]`: the top self-time entries of a V8 CPU profile
 * (function, file:line, ms and % of the samples), and the same summed by package / dpbot folder.
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, n = '25'] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((x) => [x.id, x]));
const selfUs = new Map<number, number>();
p.samples.forEach((id, i) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i + 1] ?? 0));
});
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const where = (url: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const d = /bench-dist\/([^/]+(?:\/[^/]+)?)\//.exec(url) ?? /wt-[^/]+\/([^/]+(?:\/[^/]+)?)\//.exec(url);
  if (d) return d[1];
  return url.startsWith('node:') ? 'node:' : url || '(native)';
};
const add = (m: Map<string, number>, k: string, us: number) => m.set(k, (m.get(k) ?? 0) + us);
const fns = new Map<string, number>();
const pkgs = new Map<string, number>();
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const short = url
    .replace(/^.*node_modules\//, '')
    .replace(/^.*bench-dist\//, '')
    .replace(/^file:\/\//, '');
  add(fns, `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim(), us);
  add(pkgs, where(url), us);
}
const top = (m: Map<string, number>, k: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([name, us]) => `| ${name} | ${(us / 1000).toFixed(0)} | ${((100 * us) / total).toFixed(1)} |`);
const out = [
  `${file}: ${(total / 1000).toFixed(0)} ms sampled over ${((p.endTime - p.startTime) / 1000).toFixed(0)} ms`,
  '',
  '| self time: function | ms | % |',
  '| --- | --- | --- |',
  ...top(fns, Number(n)),
  '',
  '| self time: package or folder | ms | % |',
  '| --- | --- | --- |',
  ...top(pkgs, 15),
];
process.stdout.write(`${out.join('\n')}\n`);
