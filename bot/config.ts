/** Loads and validates the config once at startup: defaults → file → schema (DESIGN §3). */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { CheckName } from '../jobs/checks/finding.js';
import type { CheckSettings, DrillSettings } from '../jobs/checks/settings.js';
import { configErrorMessage, describeIssues } from './config-issues.js';
import {
  type ClusterInput,
  type ConfigFileInput,
  configFileSchema,
  DEFAULT_SETTINGS,
  type SettingsInput,
} from './config-schema.js';
import { type DigestConfig, toDigestConfig } from './digest-config.js';
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
  /** Joins the cluster to its Arc resource (DESIGN §12) when its name differs from the Azure name. */
  azure?: { resourceId: string };
}

/** `fleet.azure` (DESIGN §12), durations in ms. */
export interface FleetAzureConfig {
  subscriptions: string[];
  managementGroups: string[];
  refreshIntervalMs: number;
  /** No trailing slash. @defaultValue `https://management.azure.com` */
  resourceManagerUrl: string;
  /** Settings of a cluster known only from Azure (no kubeconfig): the config's defaults, access open to viewers. */
  clusterDefaults: ClusterConfig;
}

export interface DpbotConfig {
  clusters: ClusterConfig[];
  keyVault: { dnsSuffix: string; verifyChallengeResource: boolean };
  /** Prefix of every Redis key and BullMQ queue. @defaultValue `dpbot` */
  redisPrefix: string;
  /** The scheduled fleet digest (DESIGN §11); absent: only `/dp digest`. */
  digest?: DigestConfig;
  /** Where the config came from, for the startup log. */
  source: string;
  /** Optional (DESIGN §12): Arc clusters from Azure Resource Graph. */
  fleet?: { azure?: FleetAzureConfig };
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
      transit: { required: s.transit.required, attested: s.transit.attested },
      off: Object.entries(s.checks)
        .filter(([, v]) => v === 'off' || v === false)
        .map(([k]) => k as CheckName),
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
    ...(c.azure ? { azure: { resourceId: c.azure.resourceId } } : {}),
  };
}

function toFleetAzure(
  file: ConfigFileInput,
  defaults: SettingsInput,
  clusters: ClusterConfig[],
): FleetAzureConfig | undefined {
  const f = file.fleet?.azure;
  if (!f) return undefined;
  const base = toCluster({ name: 'azure-only' }, defaults);
  // No config entry to name them: everyone views; whoever operates a configured cluster may snooze
  // and subscribe (backup/restore need a kubeconfig, and nobody approves for these).
  const operators = [...new Set(clusters.flatMap((c) => c.access.operators))];
  return {
    subscriptions: f.subscriptions ?? [],
    managementGroups: f.managementGroups ?? [],
    refreshIntervalMs: ms(f.refreshInterval ?? '15m'),
    resourceManagerUrl: (f.resourceManagerUrl ?? 'https://management.azure.com').replace(/\/+$/, ''),
    clusterDefaults: { ...base, access: { ...base.access, operators } },
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

/** Validates parsed YAML/JSON; throws ConfigError naming every bad field. */
export function buildConfig(raw: unknown, source: string, discovered: DiscoveredContext[] = []): DpbotConfig {
  const parsed = configFileSchema.safeParse(raw ?? {}, { error: configErrorMessage });
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
  const built = clusters.map((c) => toCluster(c, defaults));
  return {
    clusters: built,
    keyVault: {
      dnsSuffix: file.keyVault?.dnsSuffix ?? 'vault.azure.net',
      verifyChallengeResource: file.keyVault?.verifyChallengeResource ?? true,
    },
    redisPrefix: file.redis?.prefix ?? 'dpbot',
    digest: toDigestConfig(file.digest),
    source,
    ...(file.fleet?.azure ? { fleet: { azure: toFleetAzure(file, defaults, built) } } : {}),
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

/** Clusters by name per config (a config is never changed once built): every scan job looks one up. */
const byName = new WeakMap<DpbotConfig, Map<string, ClusterConfig>>();

export function findCluster(config: DpbotConfig, name: string): ClusterConfig | undefined {
  let index = byName.get(config);
  if (!index || index.size !== config.clusters.length) {
    index = new Map(config.clusters.map((c) => [c.name, c]));
    byName.set(config, index);
  }
  return index.get(name);
}
