/**
 * `npx tsx bench/alloc-top.ts FILE.heapprofile [N]`: where a V8 sampling heap profile says memory was
 * allocated (self bytes by function, then summed by package / dpbot folder). With the bench's
 * BENCH_ALLOC_PROFILE=1 the profile counts collected objects too: the young-generation garbage that
 * scavenges spend their time on.
 */
import { readFileSync } from 'node:fs';

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

const [file, n = '25'] = process.argv.slice(2);
const { head } = JSON.parse(readFileSync(file, 'utf8')) as { head: HeapNode };
const byFunction = new Map<string, number>();
const byPlace = new Map<string, number>();

const place = (url: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const own = /\/((?:adapters|jobs|bot|handlers)(?:\/[^/]+)?)\/[^/]+$/.exec(url);
  if (own) return own[1];
  return url.startsWith('node:') ? 'node:' : url ? url.replace(/^.*\//, '') : '(native)';
};
const walk = (node: HeapNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const short = url.replace(/^.*\/(node_modules\/|bench-dist\/)/, '');
  const fn = `${functionName || '(anonymous)'} ${short}${url ? `:${lineNumber + 1}` : ''}`.trim();
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + node.selfSize);
  byPlace.set(place(url), (byPlace.get(place(url)) ?? 0) + node.selfSize);
  for (const c of node.children) walk(c);
};
walk(head);

const total = [...byFunction.values()].reduce((a, b) => a + b, 0);
const table = (title: string, rows: Map<string, number>, limit: number) => {
  console.log(`\n| ${title} | MB | % |\n| --- | --- | --- |`);
  for (const [k, v] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, limit))
    console.log(`| ${k} | ${(v / 2 ** 20).toFixed(1)} | ${((100 * v) / total).toFixed(1)} |`);
};
console.log(`${file}: ${(total / 2 ** 20).toFixed(0)} MB allocated (sampled)`);
table('allocated by: function', byFunction, Number(n));
table('allocated by: package or folder', byPlace, 15);
