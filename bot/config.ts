/** Loads and validates the config once at startup: defaults → file → schema (DESIGN §3). */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { CheckSettings, DrillSettings } from '../jobs/checks/settings.js';
import {
  type ClusterInput,
  type ConfigFileInput,
  configFileSchema,
  DEFAULT_SETTINGS,
  type SettingsInput,
} from './config-schema.js';
import { parseDuration } from './duration.js';
import { ConfigError } from './errors.js';

export interface AccessConfig {
  viewers: string[];
  operators: string[];
  approvers: string[];
}

export interface ClusterConfig {
  name: string;
  kubeconfig?: string;
  context?: string;
  /** Vault name → URL, as configured. */
  keyVaults: Record<string, string>;
  scanIntervalMs: number;
  checks: CheckSettings;
  alerts: { openAfter: number; renotifyAfterMs: number; slack: string[]; teams: string[] };
  approvals: { required: number; expiresAfterMs: number };
  access: AccessConfig;
  /** Restore drills (DESIGN §10); `everyMs` undefined = `every: off`. */
  drills: DrillSettings;
}

export interface DpbotConfig {
  clusters: ClusterConfig[];
  keyVault: { dnsSuffix: string; verifyChallengeResource: boolean };
  /** Prefix of every Redis key and BullMQ queue. @defaultValue `dpbot` */
  redisPrefix: string;
  /** Where the config came from, for the startup log. */
  source: string;
}

/** One discovered kubeconfig context, used when no config file is given. */
export interface DiscoveredContext {
  kubeconfig?: string;
  context: string;
}

const ms = (d: string): number => parseDuration(d) as number;

function merge(
  base: SettingsInput,
  over: Partial<Record<keyof SettingsInput, unknown>> | undefined,
): SettingsInput {
  if (!over) return base;
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    const b = (base as Record<string, unknown>)[k];
    out[k] = b && typeof b === 'object' && !Array.isArray(b) ? { ...b, ...(v as object) } : v;
  }
  return out as unknown as SettingsInput;
}

function toCluster(c: ClusterInput, defaults: SettingsInput): ClusterConfig {
  const s = merge(defaults, c);
  const a = s.alerts;
  return {
    name: c.name,
    kubeconfig: c.kubeconfig,
    context: c.context,
    keyVaults: c.keyVaults ?? {},
    scanIntervalMs: ms(s.scanInterval),
    checks: {
      backups: {
        maxAgeMs: s.backups.maxAge === 'auto' ? 'auto' : ms(s.backups.maxAge),
        graceMs: ms(s.backups.grace),
        partialFailedIs: s.backups.partialFailedIs,
        veleroNamespace: s.backups.veleroNamespace,
      },
      secretSync: {
        rotationPollIntervalMs: ms(s.secretSync.rotationPollInterval),
        jitterMs: ms(s.secretSync.jitter),
        expiryWarningMs: ms(s.secretSync.expiryWarning),
        required: s.secretSync.required,
      },
      encryption: {
        kekMaxAgeMs: ms(s.encryption.kekMaxAge),
        kekGraceMs: ms(s.encryption.kekGrace),
        attestedStorageClasses: s.encryption.attestedStorageClasses,
      },
      gitops: { required: s.gitops.required },
      drills: drillSettings(s),
    },
    alerts: {
      openAfter: a.openAfter,
      renotifyAfterMs: ms(a.renotifyAfter),
      slack: c.alerts?.slack ?? [],
      teams: c.alerts?.teams ?? [],
    },
    approvals: { required: s.approvals.required, expiresAfterMs: ms(s.approvals.expiresAfter) },
    drills: drillSettings(s),
    access: {
      viewers: c.access?.viewers ?? (c.access ? [] : ['*']),
      operators: c.access?.operators ?? [],
      approvers: c.access?.approvers ?? [],
    },
  };
}

function drillSettings(s: SettingsInput): DrillSettings {
  const d = s.drills;
  return {
    ...(d.every === 'off' ? {} : { everyMs: ms(d.every) }),
    maxAgeMs: ms(d.maxAge),
    timeoutMs: ms(d.timeout),
    required: d.required,
    approvals: d.approvals,
  };
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
      .join('');
    let fix = issue.message;
    if (issue.code === 'unrecognized_keys')
      fix = `unknown key(s) ${issue.keys.join(', ')}: remove or correct them (see DESIGN §3)`;
    return `${path || '(top level)'}: ${fix}`;
  });
}

/** Validates parsed YAML/JSON; throws ConfigError naming every bad field. */
export function buildConfig(raw: unknown, source: string, discovered: DiscoveredContext[] = []): DpbotConfig {
  const parsed = configFileSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error).map((p) => `${source}: ${p}`));
  const file: ConfigFileInput = parsed.data;
  const defaults = merge(DEFAULT_SETTINGS, file.defaults);
  let clusters = file.clusters;
  if (!clusters || clusters.length === 0) {
    clusters = discovered.map((d) => ({
      name: toClusterName(d.context),
      context: d.context,
      kubeconfig: d.kubeconfig,
    }));
  }
  const seen = new Set<string>();
  const problems: string[] = [];
  clusters.forEach((c, i) => {
    if (seen.has(c.name))
      problems.push(`${source}: clusters[${i}].name: "${c.name}" is listed twice; names must be unique`);
    seen.add(c.name);
  });
  if (problems.length) throw new ConfigError(problems);
  return {
    clusters: clusters.map((c) => toCluster(c, defaults)),
    keyVault: {
      dnsSuffix: file.keyVault?.dnsSuffix ?? 'vault.azure.net',
      verifyChallengeResource: file.keyVault?.verifyChallengeResource ?? true,
    },
    redisPrefix: file.redis?.prefix ?? 'dpbot',
    source,
  };
}

/** A kubeconfig context name made into a DNS-1123 label (`arn:…/store-1` → `store-1`-ish). */
export function toClusterName(context: string): string {
  const name = context
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name || 'default';
}

/** Reads `path` (YAML or JSON); without a path uses the discovered kubeconfig contexts. */
export function loadConfig(path: string | undefined, discover: () => DiscoveredContext[]): DpbotConfig {
  if (!path) return buildConfig({}, 'kubeconfig contexts', discover());
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([
      `${path}: cannot read the config file (${(err as NodeJS.ErrnoException).code ?? err}); check DPBOT_CONFIG / --config`,
    ]);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError([`${path}: not valid YAML: ${(err as Error).message.split('\n')[0]}`]);
  }
  const cfg = buildConfig(raw, path, []);
  if (cfg.clusters.length === 0) return buildConfig(raw, path, discover());
  return cfg;
}

export function findCluster(config: DpbotConfig, name: string): ClusterConfig | undefined {
  return config.clusters.find((c) => c.name === name);
}
