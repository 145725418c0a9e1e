/**
 * `npx tsx bench/heap-top.ts A.heapsnapshot [B.heapsnapshot] [--top 30]`
 * Self size and count of a V8 heap snapshot by node type and constructor (what `--heap-snapshot`
 * writes). Given two snapshots (say the worker after 1,000 and after 10,000 clusters), it prints the
 * growth from A to B per class, biggest first: the state a process keeps per cluster.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { table } from './stats.js';

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

type Classes = Map<string, { bytes: number; count: number }>;

function classes(path: string): Classes {
  const h = JSON.parse(readFileSync(path, 'utf8')) as HeapSnapshot;
  const fields = h.snapshot.meta.node_fields;
  const types = h.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const out: Classes = new Map();
  for (let i = 0; i < h.nodes.length; i += fields.length) {
    const type = types[h.nodes[i + typeAt]];
    // Strings and code are named by their content; group them by type only.
    const named = type === 'object' || type === 'closure' || type === 'native';
    const key = named ? `${type} ${h.strings[h.nodes[i + nameAt]]}` : `(${type})`;
    const c = out.get(key) ?? { bytes: 0, count: 0 };
    c.bytes += h.nodes[i + sizeAt];
    c.count++;
    out.set(key, c);
  }
  return out;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '30' } },
});
const top = Number(values.top);
const mb = (b: number) => (b / 1048576).toFixed(2);
const [a, b] = positionals.map(classes);
if (!a) throw new Error('usage: heap-top A.heapsnapshot [B.heapsnapshot]');
const total = (c: Classes) => [...c.values()].reduce((s, x) => s + x.bytes, 0);
if (!b) {
  const rows = [...a].sort((x, y) => y[1].bytes - x[1].bytes).slice(0, top);
  process.stdout.write(`${positionals[0]}: ${mb(total(a))} MB\n\n`);
  process.stdout.write(
    `${table(
      ['class', 'MB', 'count'],
      rows.map(([k, v]) => [k, mb(v.bytes), String(v.count)]),
    )}\n`,
  );
} else {
  const keys = new Set([...a.keys(), ...b.keys()]);
  const growth = [...keys]
    .map((k) => {
      const [x, y] = [a.get(k) ?? { bytes: 0, count: 0 }, b.get(k) ?? { bytes: 0, count: 0 }];
      return { k, bytes: y.bytes - x.bytes, count: y.count - x.count };
    })
    .sort((x, y) => y.bytes - x.bytes)
    .slice(0, top);
  process.stdout.write(`${positionals[0]} ${mb(total(a))} MB → ${positionals[1]} ${mb(total(b))} MB\n\n`);
  process.stdout.write(
    `${table(
      ['class', 'MB grown', 'count grown'],
      growth.map((g) => [g.k, mb(g.bytes), String(g.count)]),
    )}\n`,
  );
}
