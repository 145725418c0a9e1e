/**
 * backup-freshness: one finding per Velero Schedule, judged from the Backups labelled
 * `velero.io/schedule-name`. The alert key is cluster/check/resource, so a schedule with several
 * problems gets its most severe reason as the headline and the rest in the message.
 *
 * Decisions where DESIGN is silent:
 * - Age is measured from `completionTimestamp`, else `startTimestamp`, else `creationTimestamp`.
 *   "Newest" is by `status.startTimestamp` (else completion, else creation — only New/Queued backups
 *   have no start, and those were created here): Velero's backup sync re-creates old Backups from the
 *   bucket with a new creationTimestamp (reinstall, DR rebuild, GC of owner-referenced backups), so
 *   creation order lies. Freshness is the newest `completionTimestamp` among good backups, as Velero's
 *   own `velero_backup_last_successful_timestamp`. Unreadable times never count as fresh.
 * - Only backups this cluster made count (backup-origin.ts): synced backups of another cluster's
 *   same-named schedule (a shared bucket) are left out, and the message says how many and why.
 * - A brand-new schedule (created less than maxAge ago) with no Completed backup yet is
 *   `NeverSucceeded` at `warn` — no backup exists, but it has not yet had its chance; it becomes
 *   `fail` once the schedule is older than maxAge.
 * - With `partialFailedIs: ok` a PartiallyFailed backup also counts as a good backup for freshness.
 * - A schedule Velero rejected (`FailedValidation`) or whose cron cannot be parsed creates no backups:
 *   `BackupFailed` (fail), with Velero's validationErrors / the parse error in the message.
 * - A Backup with no phase is `New` (as Velero treats it).
 */
import { createHash } from 'node:crypto';
import { formatDuration } from '../../bot/duration.js';
import { classifyOrigins } from './backup-origin.js';
import { compareSeverity, type Finding, type Status } from './finding.js';
import { listErrorFinding } from './list-error.js';
import type { ReasonCode } from './reason-codes.js';
import { parseTimestamp, scheduleInterval } from './schedule-interval.js';
import type { CheckSettings } from './settings.js';
import type { Backup, ClusterSnapshot, Schedule } from './snapshot.js';

const CHECK = 'backup-freshness';

type Evidence = Record<string, string | number | boolean | null>;
interface Issue {
  status: Status;
  reason: ReasonCode<typeof CHECK>;
  text: string;
}
interface Context {
  ns: string;
  cluster: string;
  nowMs: number;
  settings: CheckSettings['backups'];
}

export function checkBackupFreshness(
  snapshot: ClusterSnapshot,
  now: Date,
  settings: CheckSettings,
): Finding[] {
  const ns = snapshot.veleroNamespace || settings.backups.veleroNamespace;
  const { schedules, backups } = snapshot;
  if (!schedules.ok) {
    if (schedules.error.reason === 'NotFound') {
      return [
        noSchedule(
          ns,
          `Velero's CRDs are not installed (velero.io/v1 Schedule is not served), so nothing is backed up; install Velero into namespace ${ns}`,
        ),
      ];
    }
    return [listErrorFinding(CHECK, `velero.io Schedules in namespace ${ns}`, schedules.error)];
  }
  const mine = schedules.items
    .filter((s) => s?.metadata?.name && (!s.metadata.namespace || s.metadata.namespace === ns))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  if (mine.length === 0) {
    return [
      noSchedule(
        ns,
        `no Velero Schedule in namespace ${ns}, so nothing is backed up regularly; create one (velero schedule create nightly --schedule "0 2 * * *" -n ${ns})`,
      ),
    ];
  }
  if (!backups.ok) return [listErrorFinding(CHECK, `velero.io Backups in namespace ${ns}`, backups.error)];
  const ctx: Context = { ns, cluster: snapshot.cluster, nowMs: now.getTime(), settings: settings.backups };
  return mine.map((s) =>
    judgeSchedule(s, scheduleBackups(s, ns, backups.items, ctx.nowMs, snapshot.cluster), ctx),
  );
}

function noSchedule(ns: string, message: string): Finding {
  return { check: CHECK, status: 'fail', reason: 'NoSchedule', message, resource: ns };
}

function judgeSchedule(schedule: Schedule, backups: BackupRef[], ctx: Context): Finding {
  const name = schedule.metadata.name;
  const interval = scheduleInterval(schedule.spec?.schedule, new Date(ctx.nowMs));
  const intervalMs = interval.ok ? interval.intervalMs : undefined;
  const { maxAgeMs: setting, graceMs } = ctx.settings;
  const maxAgeMs =
    setting === 'auto' ? (intervalMs === undefined ? undefined : 2 * intervalMs + graceMs) : setting;
  const evidence: Evidence = {
    schedule: typeof schedule.spec?.schedule === 'string' ? schedule.spec.schedule : null,
    schedulePhase: typeof schedule.status?.phase === 'string' ? schedule.status.phase : null,
    paused: schedule.spec?.paused === true,
    intervalMs: intervalMs ?? null,
    maxAgeMs: maxAgeMs ?? null,
    backups: backups.length,
  };
  const counted = backups.filter((b) => !b.notOurs);
  const notOurs = backups.filter((b) => b.notOurs);
  if (notOurs.length) evidence.notOurs = notOurs.length;
  const issues: Issue[] = [
    ...scheduleIssues(schedule, interval, ctx),
    ...backupIssues(name, counted, intervalMs, ctx, evidence),
    ...freshnessIssues(schedule, counted, maxAgeMs, ctx, evidence),
  ];
  const headline = issues.reduce((worst, i) => (compareSeverity(i.status, worst.status) > 0 ? i : worst));
  const rest = issues.filter((i) => i !== headline).map((i) => `${i.reason}: ${i.text}`);
  const also = rest.length ? ` — also ${rest.join('; ')}` : '';
  return {
    check: CHECK,
    status: headline.status,
    reason: headline.reason,
    message: `${headline.text}${also}${notOursNote(name, notOurs)}`,
    resource: `${ctx.ns}/${name}`,
    evidence,
  };
}

/** Backups labelled with the schedule's name that this cluster's schedule did not make. */
function notOursNote(schedule: string, notOurs: BackupRef[]): string {
  if (notOurs.length === 0) return '';
  const [first] = notOurs;
  const more = notOurs.length > 1 ? ` and ${notOurs.length - 1} more` : '';
  const shared = notOurs.some((b) => b.notOurs === 'foreign')
    ? ' (another cluster writes to the same bucket+prefix)'
    : ' (synced from another cluster writing to the same bucket+prefix, or made on demand)';
  return ` — not counted: ${first.name}${more}, labelled ${schedule} but not made by this cluster's schedule: ${first.notOursWhy}${shared}`;
}

function scheduleIssues(
  schedule: Schedule,
  interval: ReturnType<typeof scheduleInterval>,
  ctx: Context,
): Issue[] {
  const name = schedule.metadata.name;
  const describe = `velero schedule describe ${name} -n ${ctx.ns}`;
  const issues: Issue[] = [];
  if (schedule.status?.phase === 'FailedValidation') {
    const listed: unknown = schedule.status.validationErrors;
    const errors = Array.isArray(listed) ? listed.filter((e) => typeof e === 'string') : [];
    const why = errors.length ? errors.join('; ') : 'no validationErrors given';
    issues.push({
      status: 'fail',
      reason: 'BackupFailed',
      text: `schedule ${name} failed Velero's validation (${why}), so it creates no backups; fix its spec (${describe})`,
    });
  } else if (!interval.ok) {
    issues.push({
      status: 'fail',
      reason: 'BackupFailed',
      text: `schedule ${name} has cron "${schedule.spec?.schedule ?? ''}" that cannot be parsed (${interval.error}); fix spec.schedule (${describe})`,
    });
  }
  if (schedule.spec?.paused === true) {
    issues.push({
      status: 'warn',
      reason: 'SchedulePaused',
      text: `schedule ${name} is paused, so it makes no new backups (velero schedule unpause ${name} -n ${ctx.ns})`,
    });
  }
  return issues;
}

function backupIssues(
  schedule: string,
  backups: BackupRef[],
  intervalMs: number | undefined,
  ctx: Context,
  evidence: Evidence,
): Issue[] {
  const issues: Issue[] = [];
  const [newest] = backups;
  const describe = (b: BackupRef) => `velero backup describe ${b.name} --details -n ${ctx.ns}`;
  if (newest)
    Object.assign(evidence, { newestBackup: newest.name, newestBackupPhase: newest.phase || 'New' });
  if (newest?.running && intervalMs !== undefined && newest.runningForMs !== undefined) {
    evidence.runningForMs = newest.runningForMs;
    if (newest.runningForMs > intervalMs) {
      issues.push({
        status: 'warn',
        reason: 'BackupStuck',
        text: `backup ${newest.name} has been ${newest.phase || 'New'} for ${formatDuration(newest.runningForMs)} (schedule interval ${formatDuration(intervalMs)}); Velero starts no new backup of ${schedule} until it finishes (${describe(newest)})`,
      });
    }
  }
  const finished = backups.find((b) => b.finished);
  if (!finished) return issues;
  if (finished.phase === 'Failed' || finished.phase === 'FailedValidation') {
    evidence.failedBackup = finished.name;
    issues.push({
      status: 'fail',
      reason: 'BackupFailed',
      text: `newest finished backup ${finished.name} is ${finished.phase}${finished.why ? `: ${finished.why}` : ''} (velero backup logs ${finished.name} -n ${ctx.ns})`,
    });
  } else if (finished.phase === 'PartiallyFailed' && ctx.settings.partialFailedIs !== 'ok') {
    evidence.partiallyFailedBackup = finished.name;
    issues.push({
      status: ctx.settings.partialFailedIs,
      reason: 'BackupPartiallyFailed',
      text: `newest finished backup ${finished.name} PartiallyFailed${finished.why ? ` (${finished.why})` : ''} (${describe(finished)})`,
    });
  }
  return issues;
}

function freshnessIssues(
  schedule: Schedule,
  backups: BackupRef[],
  maxAgeMs: number | undefined,
  ctx: Context,
  evidence: Evidence,
): Issue[] {
  const name = schedule.metadata.name;
  const acceptPartial = ctx.settings.partialFailedIs === 'ok';
  // The newest completion among good backups (Velero's velero_backup_last_successful_timestamp).
  const good = backups
    .filter((b) => b.phase === 'Completed' || (acceptPartial && b.phase === 'PartiallyFailed'))
    .reduce<BackupRef | undefined>(
      (best, b) =>
        !best || (b.ageMs ?? Number.POSITIVE_INFINITY) < (best.ageMs ?? Number.POSITIVE_INFINITY) ? b : best,
      undefined,
    );
  const runNow = `/dp backup ${ctx.cluster} --schedule ${name}`;
  const max = maxAgeMs === undefined ? 'max unknown' : `max ${formatDuration(maxAgeMs)}`;
  if (!good) return [neverSucceeded(schedule, backups, maxAgeMs, ctx, runNow)];
  evidence.backup = good.name;
  evidence.ageMs = good.ageMs ?? null;
  const what = `newest ${good.phase} backup ${good.name}`;
  if (good.ageMs === undefined) {
    return [
      {
        status: 'fail',
        reason: 'BackupStale',
        text: `${what} has no readable timestamp, so its age is unknown; ${runNow}`,
      },
    ];
  }
  const age = `${what} is ${formatDuration(Math.max(0, good.ageMs))} old (${max})`;
  if (maxAgeMs !== undefined && good.ageMs > maxAgeMs) {
    return [
      {
        status: 'fail',
        reason: 'BackupStale',
        text: `${age}; run ${runNow} and check velero schedule describe ${name} -n ${ctx.ns}`,
      },
    ];
  }
  return [{ status: maxAgeMs === undefined ? 'unknown' : 'ok', reason: 'BackupFresh', text: age }];
}

function neverSucceeded(
  schedule: Schedule,
  backups: BackupRef[],
  maxAgeMs: number | undefined,
  ctx: Context,
  runNow: string,
): Issue {
  const name = schedule.metadata.name;
  const created = parseTimestamp(schedule.metadata.creationTimestamp);
  const ageMs = created === undefined ? undefined : ctx.nowMs - created;
  if (ageMs !== undefined && maxAgeMs !== undefined && ageMs <= maxAgeMs) {
    // DESIGN §6: NeverSucceeded is fail, even for a new schedule; the message says it is new.
    return {
      status: 'fail',
      reason: 'NeverSucceeded',
      text: `schedule ${name} is new (created ${formatDuration(Math.max(0, ageMs))} ago) and has no Completed backup yet, so nothing can be restored; the first is due within ${formatDuration(maxAgeMs)} of creation (${runNow} to make one now)`,
    };
  }
  const tried = backups.length ? `${backups.length} backup(s), none Completed` : 'no backups at all';
  return {
    status: 'fail',
    reason: 'NeverSucceeded',
    text: `schedule ${name} has never produced a Completed backup (${tried}); fix the cause, then ${runNow}`,
  };
}

// ---- reading Backups ----

const SCHEDULE_LABEL = 'velero.io/schedule-name';
const RUNNING = new Set([
  '',
  'New',
  'Queued',
  'ReadyToStart',
  'InProgress',
  'WaitingForPluginOperations',
  'WaitingForPluginOperationsPartiallyFailed',
  'Finalizing',
  'FinalizingPartiallyFailed',
]);
const FINISHED = new Set(['Completed', 'PartiallyFailed', 'Failed', 'FailedValidation']);

interface BackupRef {
  name: string;
  phase: string;
  running: boolean;
  finished: boolean;
  /** now − (completion ?? start ?? creation); undefined when none is a readable time. */
  ageMs?: number;
  /** now − (start ?? creation), for running backups. */
  runningForMs?: number;
  /** failureReason / validationErrors / error and warning counts, one line. */
  why: string;
  orderMs: number;
  /** Set when this cluster's schedule did not make it (backup-origin.ts). */
  notOurs?: 'foreign' | 'unattributed';
  notOursWhy?: string;
}

/** The schedule's Backups, newest first. */
function scheduleBackups(
  schedule: Schedule,
  ns: string,
  backups: Backup[],
  nowMs: number,
  cluster: string,
): BackupRef[] {
  const labels = new Set([schedule.metadata.name, labelValue(schedule.metadata.name)]);
  const labelled = backups
    .filter((b) => b?.metadata?.name && (!b.metadata.namespace || b.metadata.namespace === ns))
    .filter((b) => labels.has(b.metadata.labels?.[SCHEDULE_LABEL] ?? ''));
  const origins = classifyOrigins(schedule, labelled, cluster);
  return labelled
    .map((b, i) => {
      const ref = readBackup(b, nowMs);
      const { origin, why } = origins[i];
      return origin === 'foreign' || origin === 'unattributed'
        ? { ...ref, notOurs: origin, notOursWhy: why }
        : ref;
    })
    .sort((a, b) => b.orderMs - a.orderMs || b.name.localeCompare(a.name));
}

function readBackup(backup: Backup, nowMs: number): BackupRef {
  const st = backup.status ?? {};
  const phase = typeof st.phase === 'string' ? st.phase : '';
  const created = parseTimestamp(backup.metadata.creationTimestamp);
  const started = parseTimestamp(st.startTimestamp);
  const completed = parseTimestamp(st.completionTimestamp);
  const ended = completed ?? started ?? created;
  const began = started ?? created;
  const why = [
    typeof st.failureReason === 'string' && st.failureReason ? st.failureReason : '',
    Array.isArray(st.validationErrors)
      ? st.validationErrors.filter((e) => typeof e === 'string').join('; ')
      : '',
    typeof st.errors === 'number' && st.errors > 0 ? `${st.errors} errors` : '',
    typeof st.warnings === 'number' && st.warnings > 0 ? `${st.warnings} warnings` : '',
  ].filter(Boolean);
  return {
    name: backup.metadata.name,
    phase,
    running: RUNNING.has(phase),
    finished: FINISHED.has(phase),
    ageMs: ended === undefined ? undefined : nowMs - ended,
    runningForMs: began === undefined ? undefined : nowMs - began,
    why: why.join(', ').replace(/\s+/g, ' '),
    orderMs: started ?? completed ?? created ?? Number.NEGATIVE_INFINITY,
  };
}

/** Velero's label.GetValidName: names over 63 characters are cut to 57 plus 6 hex chars of their sha256. */
function labelValue(name: string): string {
  if (name.length <= 63) return name;
  return name.slice(0, 57) + createHash('sha256').update(name).digest('hex').slice(0, 6);
}
