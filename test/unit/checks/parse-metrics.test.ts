import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  currentKey,
  keyIdHashes,
  secretTransformations,
  TRANSFORMATION_OPS,
} from '../../../jobs/checks/encryption-evidence.js';
import { parseMetrics } from '../../../jobs/checks/parse-metrics.js';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/apiserver', name), 'utf8');

describe('parseMetrics', () => {
  it('reads labels, escapes, special values and timestamps', () => {
    const text = [
      '# HELP m A metric with "quotes" in help',
      '# TYPE m gauge',
      'm{a="x",b="with \\"quote\\", comma and } brace",c="back\\\\slash",d="line\\nbreak",} 1.5e+09 1700000000000',
      'm{a="nan"} NaN',
      'm{a="inf"} +Inf',
      'm{a="minus"}   -Inf',
      'm 42',
      'm{ a = "spaced" } 7\r',
      'other{a="skipped"} 1',
    ].join('\n');
    const { samples, malformed } = parseMetrics(text, ['m']);
    expect(malformed).toBe(0);
    expect(samples[0]).toEqual({
      name: 'm',
      labels: { a: 'x', b: 'with "quote", comma and } brace', c: 'back\\slash', d: 'line\nbreak' },
      value: 1.5e9,
      timestampMs: 1_700_000_000_000,
    });
    expect(Number.isNaN(samples[1].value)).toBe(true);
    expect(samples[2].value).toBe(Number.POSITIVE_INFINITY);
    expect(samples[3].value).toBe(Number.NEGATIVE_INFINITY);
    expect(samples[4]).toEqual({ name: 'm', labels: {}, value: 42 });
    expect(samples[5]).toEqual({ name: 'm', labels: { a: 'spaced' }, value: 7 });
    expect(samples).toHaveLength(6);
  });

  it.each([
    ['unterminated quote', 'm{a="x} 1'],
    ['bad escape', 'm{a="\\q"} 1'],
    ['missing value', 'm{a="x"}'],
    ['hex value', 'm 0x1f'],
    ['three fields', 'm 1 2 3'],
    ['fractional timestamp', 'm 1 2.5'],
    ['label without quotes', 'm{a=x} 1'],
  ])('skips and counts a malformed line: %s', (_given, line) => {
    const { samples, malformed } = parseMetrics(`${line}\nm{ok="yes"} 1\n`, ['m']);
    expect(malformed).toBe(1);
    expect(samples).toEqual([{ name: 'm', labels: { ok: 'yes' }, value: 1 }]);
  });

  it('with names, passes over other metrics whatever they share with a wanted name', () => {
    const text = [
      'foo_total{a="1"} 1',
      'foo 2', // a prefix of the wanted name: another metric
      'foo_total_seconds{a="2"} 3', // the wanted name is its prefix: another metric
      '  \tfoo_total{a="3"} 4\r', // leading blanks and CRLF
      'foo_total{a="x\\"y,z}"} 5', // escapes and a brace inside quotes
      '9bad 6', // not a metric name: malformed, wanted or not
      'foo_total{a=} 7', // the wanted metric, malformed
    ].join('\n');
    const { samples, malformed } = parseMetrics(text, ['foo_total']);
    expect(samples.map((s) => [s.labels.a, s.value])).toEqual([
      ['1', 1],
      ['3', 4],
      ['x"y,z}', 5],
    ]);
    expect(malformed).toBe(2);
  });
  it('returns every metric when no names are given', () => {
    const { samples } = parseMetrics(fixture('metrics-no-encryption.txt'));
    expect(samples.map((s) => s.name)).toContain('kubernetes_build_info');
    expect(samples.find((s) => s.name === 'process_start_time_seconds')?.value).toBe(1.79440128e9);
  });
});

describe('encryption evidence from real-shaped /metrics', () => {
  it('counts Secret transformations by prefix and ignores other resources', () => {
    const samples = parseMetrics(fixture('metrics-kms-v2-rotated.txt'), [TRANSFORMATION_OPS]).samples;
    const t = secretTransformations(samples);
    expect(t.perResource).toBe(true);
    expect(t.uses).toEqual([
      {
        prefix: 'k8s:enc:kms:v2:azurekmsprovider:',
        kind: 'kms-v2',
        name: 'azurekmsprovider',
        reads: 190,
        writes: 41,
        failures: 0,
      },
    ]);
  });

  it('keeps all series when the API server has no resource label (older Kubernetes)', () => {
    const t = secretTransformations(parseMetrics(fixture('metrics-kms-v1.txt')).samples);
    expect(t.perResource).toBe(false);
    expect(t.uses.map((u) => [u.kind, u.name, u.reads, u.writes])).toEqual([
      ['kms-v1', 'mock-kms-provider', 388, 52],
    ]);
  });

  it('classifies local keys with their algorithm; the key records its own series (real shape)', () => {
    const t = secretTransformations(parseMetrics(fixture('metrics-aescbc.txt')).samples);
    expect(t.uses.map((u) => [u.prefix, u.kind, u.algorithm, u.writes])).toEqual([
      ['k8s:enc:aescbc:v1:', 'local-key', 'aescbc', 7],
      ['key1:', 'other', undefined, 7],
    ]);
    // A prefix with the key name in it (as some tools print it) is still read.
    expect(
      secretTransformations(
        parseMetrics(
          'apiserver_storage_transformation_operations_total{status="OK",transformation_type="to_storage",transformer_prefix="k8s:enc:aescbc:v1:key1:"} 2\n',
        ).samples,
      ).uses[0],
    ).toMatchObject({ kind: 'local-key', algorithm: 'aescbc', name: 'key1', writes: 2 });
  });

  it('merges key id series over API servers and picks the key the Status call returned last', () => {
    const keys = keyIdHashes(parseMetrics(fixture('metrics-kms-v2-rotated.txt')).samples);
    expect(keys).toHaveLength(2);
    const current = currentKey(keys)!;
    expect(current.keyIdHash).toBe('sha256:e234a79331dafed2de104a13ebab1e489793ac144cd87d4c168db82ba41cb9a7');
    expect(current.lastStatusMs).toBeCloseTo(1_795_694_379_250, -3);
  });

  it('prefers the Status call over a more recent decrypt with an old key', () => {
    const line = (metric: string, hash: string, v: number) =>
      `apiserver_envelope_encryption_key_id_hash_${metric}{key_id_hash="${hash}",provider_name="p"} ${v}`;
    const text = [
      line('last_timestamp_seconds', 'sha256:old', 2000),
      line('last_timestamp_seconds', 'sha256:new', 1000),
      line('status_last_timestamp_seconds', 'sha256:new', 1500),
    ].join('\n');
    expect(currentKey(keyIdHashes(parseMetrics(text).samples))?.keyIdHash).toBe('sha256:new');
  });
});
