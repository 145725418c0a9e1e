/**
 * `npm run crds`: download the pinned CRD files of test/crds.lock.json into test/.crds/, each checked
 * against its sha256. All or nothing: files are fetched and checked first, then the cache is replaced.
 * `DPBOT_CRDS_UPSTREAM` (e.g. `http://127.0.0.1:8080`) replaces the URLs' origin, for mirrors and tests.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EnvHttpProxyAgent, fetch } from 'undici';
import { type CrdLockEntry, cacheDir, sha256Hex } from './crd-locator.js';

export interface DownloadCrdsOptions {
  root: string;
  lock: CrdLockEntry[];
  /** Replaces the origin of every lock URL. @defaultValue the lock's own URLs */
  upstream?: string;
  /** Each file's progress line. */
  log: (line: string) => void;
  /** @defaultValue 30000 per file */
  timeoutMs?: number;
}

export class CrdDownloadError extends Error {}

export function sourceUrl(entry: CrdLockEntry, upstream?: string): string {
  if (!upstream) return entry.url;
  const u = new URL(entry.url);
  return `${upstream.replace(/\/+$/, '')}${u.pathname}`;
}

/** Downloads every locked file, or throws CrdDownloadError with a one-line reason and writes nothing. */
export async function downloadCrds(o: DownloadCrdsOptions): Promise<string> {
  // HTTPS_PROXY/NO_PROXY are honoured, as by every other outbound client of dpbot.
  const dispatcher = new EnvHttpProxyAgent();
  const files: [CrdLockEntry, Buffer][] = [];
  try {
    for (const entry of o.lock) {
      const url = sourceUrl(entry, o.upstream);
      const body = await get(url, dispatcher, o.timeoutMs ?? 30_000);
      const got = sha256Hex(body);
      if (got !== entry.sha256)
        throw new CrdDownloadError(
          `${url}: sha256 ${got} does not match ${entry.sha256} in test/crds.lock.json; nothing was written`,
        );
      o.log(`crds: ${entry.path} sha256 ok (${url})`);
      files.push([entry, body]);
    }
  } finally {
    await dispatcher.close();
  }
  const dest = cacheDir(o.root);
  const tmp = `${dest}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  for (const [entry, body] of files) {
    mkdirSync(dirname(join(tmp, entry.path)), { recursive: true });
    writeFileSync(join(tmp, entry.path), body);
  }
  rmSync(dest, { recursive: true, force: true });
  renameSync(tmp, dest);
  return dest;
}

async function get(url: string, dispatcher: EnvHttpProxyAgent, timeoutMs: number): Promise<Buffer> {
  let res: Awaited<ReturnType<typeof fetch>>;
  try {
    res = await fetch(url, { dispatcher, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.cause?.message || e.cause?.code || e.message;
    throw new CrdDownloadError(
      `cannot download ${url}: ${why} (offline? set DPBOT_CRDS_DIR to a folder with the CRDs instead)`,
    );
  }
  if (!res.ok) throw new CrdDownloadError(`cannot download ${url}: HTTP ${res.status}; nothing was written`);
  return Buffer.from(await res.arrayBuffer());
}
