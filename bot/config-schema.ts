/** The config file of DESIGN §3 as a zod schema. Durations stay text here; config.ts converts them. */
import { z } from 'zod';
import { CHECK_NAMES } from '../jobs/checks/finding.js';
import { digestSchema } from './digest-config.js';
import { parseDuration } from './duration.js';

export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const DURATION_FIX = 'must be a duration like 90s, 15m, 26h or 30d';
const duration = z
  .string({ error: `${DURATION_FIX} (a number needs its unit)` })
  .refine((s) => parseDuration(s) !== undefined, { message: DURATION_FIX });
const identity = z
  .string()
  // A Teams id is what the activity carries (an AAD object id, else `29:…`), of no fixed shape, and
  // DESIGN's own example (`teams:6f1c…`) must load: anything without a space, as for `shell:`.
  .regex(/^(\*|slack:[A-Z0-9]+\/[A-Z0-9]+|slack-group:[A-Z0-9]+|teams:\S+|shell:\S+)$/, {
    message:
      'must be "*", "slack:<team>/<user>", "slack-group:<id>", "teams:<aadObjectId>" or "shell:<user>"',
  });

const backups = z
  .object({
    maxAge: z.union([z.literal('auto'), duration], { error: 'must be auto or a duration like 26h' }),
    grace: duration,
    partialFailedIs: z.enum(['ok', 'warn', 'fail']),
    veleroNamespace: z
      .string()
      .regex(DNS1123_LABEL, { message: 'must be a namespace name (DNS-1123 label)' }),
  })
  .strict();
const secretSync = z
  .object({
    rotationPollInterval: duration,
    jitter: duration,
    expiryWarning: duration,
    required: z.boolean(),
  })
  .strict();
const encryption = z
  .object({
    kekMaxAge: duration,
    kekGrace: duration,
    attestedStorageClasses: z.array(
      z.object({ name: z.string().min(1), evidence: z.string().min(1) }).strict(),
    ),
  })
  .strict();
const gitops = z.object({ required: z.boolean() }).strict();
const alerts = z.object({ openAfter: z.number().int().min(1), renotifyAfter: duration }).strict();
const approvals = z.object({ required: z.number().int().min(1).max(5), expiresAfter: duration }).strict();
const transit = z
  .object({
    required: z.boolean(),
    attested: z.array(
      z
        .object({
          namespace: z
            .string()
            .regex(DNS1123_LABEL, { message: 'must be a namespace name (DNS-1123 label)' }),
          evidence: z.string().min(1),
        })
        .strict(),
    ),
  })
  .strict();
/** `{ transit-encryption: off }`; `on` (or true/false) also accepted. */
const checks = z
  .record(
    z.string(),
    z.union([z.enum(['on', 'off']), z.boolean()], {
      error: 'must be off or on, e.g. { transit-encryption: off }',
    }),
  )
  .superRefine((value, ctx) => {
    for (const key of Object.keys(value))
      if (!(CHECK_NAMES as readonly string[]).includes(key))
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `unknown check "${key}": one of ${CHECK_NAMES.join(', ')}`,
        });
  });
/** Restore drills (DESIGN §10); `every: off` = no scheduled drills. */
const drills = z
  .object({
    every: z.union([z.literal('off'), duration], { error: 'must be off or a duration like 7d' }),
    maxAge: duration,
    timeout: duration,
    required: z.boolean(),
    approvals: z.number().int().min(0).max(5),
  })
  .strict();

export const settingsSchema = z
  .object({
    scanInterval: duration,
    backups,
    secretSync,
    encryption,
    gitops,
    alerts,
    approvals,
    transit,
    checks,
    drills,
  })
  .strict();
export type SettingsInput = z.infer<typeof settingsSchema>;

const partialSettings = z
  .object({
    scanInterval: duration.optional(),
    backups: backups.partial().optional(),
    secretSync: secretSync.partial().optional(),
    encryption: encryption.partial().optional(),
    gitops: gitops.partial().optional(),
    alerts: alerts.partial().optional(),
    approvals: approvals.partial().optional(),
    transit: transit.partial().optional(),
    checks: checks.optional(),
    drills: drills.partial().optional(),
  })
  .strict();

/** `/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Kubernetes/connectedClusters/<name>` (DESIGN §12). */
export const ARC_RESOURCE_ID =
  /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Kubernetes\/connectedClusters\/[^/]+$/i;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** `fleet.azure` (DESIGN §12): Arc clusters from Azure Resource Graph. */
const fleetAzureSchema = z
  .object({
    subscriptions: z
      .array(z.string().regex(GUID, { message: 'must be a subscription id (a GUID)' }))
      .optional(),
    managementGroups: z.array(z.string().min(1, { message: 'must be a management group id' })).optional(),
    refreshInterval: duration.optional(),
    resourceManagerUrl: z
      .url({ message: 'must be the Azure Resource Manager URL, e.g. https://management.azure.com' })
      .refine((u) => u.startsWith('https://'), { message: 'must be an https:// URL' })
      .optional(),
  })
  .strict()
  .refine((f) => (f.subscriptions?.length ?? 0) + (f.managementGroups?.length ?? 0) > 0, {
    message: 'name at least one subscription or management group to query',
  });

const clusterSchema = partialSettings
  .extend({
    name: z.string().regex(DNS1123_LABEL, {
      message: 'must be a DNS-1123 label: lower-case letters, digits and "-", e.g. store-042',
    }),
    kubeconfig: z.string().min(1).optional(),
    context: z.string().min(1).optional(),
    keyVaults: z
      .record(z.string(), z.url({ message: 'must be the vault URL, e.g. https://kv-1.vault.azure.net' }))
      .optional(),
    alerts: alerts
      .partial()
      .extend({ slack: z.array(z.string()).optional(), teams: z.array(z.string()).optional() })
      .strict()
      .optional(),
    access: z
      .object({
        viewers: z.array(identity).optional(),
        operators: z.array(identity).optional(),
        approvers: z.array(identity).optional(),
      })
      .strict()
      .optional(),
    azure: z
      .object({
        resourceId: z.string().regex(ARC_RESOURCE_ID, {
          message:
            'must be the Arc resource id, e.g. /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Kubernetes/connectedClusters/<name>',
        }),
      })
      .strict()
      .optional(),
  })
  .strict();

export const configFileSchema = z
  .object({
    defaults: partialSettings.optional(),
    clusters: z.array(clusterSchema).optional(),
    keyVault: z
      .object({ dnsSuffix: z.string().min(1).optional(), verifyChallengeResource: z.boolean().optional() })
      .strict()
      .optional(),
    redis: z
      .object({ prefix: z.string().min(1).optional() })
      .strict()
      .optional(),
    // Pictures and digest (DESIGN §11).
    digest: digestSchema.optional(),
    fleet: z.object({ azure: fleetAzureSchema.optional() }).strict().optional(),
  })
  .strict();
export type ConfigFileInput = z.infer<typeof configFileSchema>;
export type ClusterInput = z.infer<typeof clusterSchema>;

export const DEFAULT_SETTINGS: SettingsInput = {
  scanInterval: '15m',
  backups: { maxAge: 'auto', grace: '1h', partialFailedIs: 'warn', veleroNamespace: 'velero' },
  secretSync: { rotationPollInterval: '1h', jitter: '0s', expiryWarning: '30d', required: true },
  encryption: { kekMaxAge: '30d', kekGrace: '2d', attestedStorageClasses: [] },
  gitops: { required: false },
  alerts: { openAfter: 2, renotifyAfter: '4h' },
  approvals: { required: 1, expiresAfter: '1h' },
  transit: { required: false, attested: [] },
  checks: {},
  drills: { every: 'off', maxAge: '90d', timeout: '30m', required: false, approvals: 1 },
};
