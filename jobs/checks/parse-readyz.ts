/**
 * Reads the API server's `GET /readyz?verbose` text: one line per health check — `[+]ping ok`,
 * `[+]etcd excluded: ok`, `[-]kms-provider-0 failed: reason withheld` — then `readyz check passed`
 * or `readyz check failed` (k8s.io/apiserver/pkg/server/healthz). The failure reason is withheld on
 * the endpoint; only the API server's log has it.
 */

export interface HealthCheckLine {
  name: string;
  ok: boolean;
  /** `excluded: ok` — the caller asked to skip it. */
  excluded: boolean;
  /** The text after the name, e.g. `failed: reason withheld`. */
  detail: string;
}

export interface ReadyzReport {
  checks: HealthCheckLine[];
  /** From the closing `… check passed/failed` line; undefined when the text has none. */
  passed?: boolean;
}

const CHECK_LINE = /^\[([+-])\](\S+)\s*(.*)$/;
const SUMMARY_LINE = /^\S+ check (passed|failed)$/;

export function parseReadyz(text: string): ReadyzReport {
  const report: ReadyzReport = { checks: [] };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const check = CHECK_LINE.exec(line);
    if (check) {
      const detail = check[3].trim();
      report.checks.push({
        name: check[2],
        ok: check[1] === '+',
        excluded: detail.startsWith('excluded'),
        detail,
      });
      continue;
    }
    const summary = SUMMARY_LINE.exec(line);
    if (summary) report.passed = summary[1] === 'passed';
  }
  return report;
}

/**
 * KMS plugin health checks: KMS v1 registers one `kms-provider-N` per provider; current KMS v2 registers
 * one combined `kms-providers` check (older API servers named v2 probes `kms-provider-N` too).
 */
export function kmsHealthChecks(report: ReadyzReport): HealthCheckLine[] {
  return report.checks.filter((c) => c.name === 'kms-providers' || /^kms-provider-\d+$/.test(c.name));
}
