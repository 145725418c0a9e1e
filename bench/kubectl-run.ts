/** Times `kubectl-baseline.sh` (sequential kubectl loop) over the first clusters of a fleet. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's kubernetes-client unpacked beside another kubectl (they conflict on /usr/bin/kubectl). */
const DEBIAN_KUBECTL = '/opt/debian-kubernetes-client/usr/bin/kubectl';

export interface KubectlResult {
  kubectl: string;
  version: string;
  clusters: number;
  wallMs: number;
  perClusterMs: number;
}

export function findKubectl(explicit?: string): string {
  return explicit ?? process.env.KUBECTL ?? (existsSync(DEBIAN_KUBECTL) ? DEBIAN_KUBECTL : 'kubectl');
}

export async function kubectlBaseline(
  kubeconfig: string,
  contexts: string[],
  kubectl: string,
): Promise<KubectlResult> {
  const version = (
    await run(kubectl, ['version', '--client', '--short']).catch(() => run(kubectl, ['version', '--client']))
  ).stdout
    .trim()
    .split('\n')[0];
  const out = mkdtempSync(join(tmpdir(), 'dpbot-kubectl-'));
  const started = performance.now();
  await run('bash', ['bench/kubectl-baseline.sh', kubeconfig, out, ...contexts], {
    env: { ...process.env, KUBECTL: kubectl, HOME: out, RAW_PREFIX: '/clusters' },
    maxBuffer: 1 << 20,
  });
  const wallMs = performance.now() - started;
  rmSync(out, { recursive: true, force: true });
  return { kubectl, version, clusters: contexts.length, wallMs, perClusterMs: wallMs / contexts.length };
}
