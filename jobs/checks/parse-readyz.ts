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
 * KMS plugin health checks (k8s.io/apiserver/pkg/server/options/encryptionconfig): one `kms-provider-N`
 * per KMS provider when automatic reload is off and a KMS v1 provider is in use (API servers before
 * 1.27 named KMS v2 probes so too); ONE aggregated `kms-providers` check when automatic reload is on —
 * for v1 and v2 alike, and even with no KMS provider at all (a no-op then) — or when only KMS v2
 * providers are configured. So `kms-providers` says "maybe some KMS", never which version.
 */
export function kmsHealthChecks(report: ReadyzReport): HealthCheckLine[] {
  return report.checks.filter((c) => c.name === 'kms-providers' || /^kms-provider-\d+$/.test(c.name));
}

/** The post-start hook kube-apiserver registers only with `--encryption-provider-config-automatic-reload`. */
export const AUTOMATIC_RELOAD_HOOK = 'poststarthook/start-encryption-provider-config-automatic-reload';

export interface KmsProbes {
  checks: HealthCheckLine[];
  /** `kms-provider-N` lines: at least one KMS provider is configured. */
  individual: HealthCheckLine[];
  /** The aggregated `kms-providers` line, if any. */
  aggregated?: HealthCheckLine;
  /** The automatic-reload hook is listed: `kms-providers` then exists with or without a KMS provider. */
  automaticReload: boolean;
  /** The probes alone prove a KMS provider is configured (individual lines, or kms-providers without reload). */
  provesKms: boolean;
}

export function kmsProbes(report: ReadyzReport): KmsProbes {
  const checks = kmsHealthChecks(report);
  const individual = checks.filter((c) => c.name !== 'kms-providers');
  const aggregated = checks.find((c) => c.name === 'kms-providers');
  const automaticReload = report.checks.some((c) => c.name === AUTOMATIC_RELOAD_HOOK);
  return {
    checks,
    individual,
    ...(aggregated ? { aggregated } : {}),
    automaticReload,
    provesKms: individual.length > 0 || (aggregated !== undefined && !automaticReload),
  };
}
