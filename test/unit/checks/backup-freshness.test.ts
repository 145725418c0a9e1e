import { createHash } from 'node:crypto';
import { checkBackupFreshness } from '../../../jobs/checks/backup-freshness.js';
import type { UnknownReason } from '../../../jobs/checks/finding.js';
import type { ReasonCode } from '../../../jobs/checks/reason-codes.js';
import type { CheckSettings } from '../../../jobs/checks/settings.js';
import type { Backup, ClusterSnapshot, Listed, Schedule } from '../../../jobs/checks/snapshot.js';
import { emptySnapshot } from '../../fixtures/empty-snapshot.js';

// ---- small local builder (deliberately independent of test/fakes) ----
const NOW = new Date('2026-11-25T12:00:00Z'); // a Wednesday
const H = 3_600_000;
const D = 24 * H;
const at = (now: Date, msAgo: number) => new Date(now.getTime() - msAgo).toISOString();
const ago = (ms: number) => at(NOW, ms);

function settings(backups: Partial<CheckSettings['backups']> = {}): CheckSettings {
  return {
    backups: { maxAgeMs: 'auto', graceMs: H, partialFailedIs: 'warn', veleroNamespace: 'velero', ...backups },
  } as CheckSettings;
}

function snapshot(
  schedules: Listed<Schedule>,
  backups: Listed<Backup> = { ok: true, items: [] },
): ClusterSnapshot {
  return emptySnapshot({ schedules, backups }, 'store-042', NOW);
}

interface ScheduleOpts {
  cron?: string;
  paused?: boolean;
  phase?: string;
  validationErrors?: string[];
  created?: string;
  noSpec?: boolean;
}
function schedule(name: string, o: ScheduleOpts = {}): Schedule {
  return {
    metadata: { name, namespace: 'velero', creationTimestamp: o.created ?? ago(30 * D) },
    spec: o.noSpec ? undefined : { schedule: o.cron ?? '0 2 * * *', paused: o.paused, template: {} },
    status: o.phase ? { phase: o.phase, validationErrors: o.validationErrors } : undefined,
  };
}

interface BackupOpts {
  phase?: string;
  created?: string;
  started?: string;
  completed?: string;
  errors?: number;
  failureReason?: string;
  noStatus?: boolean;
  label?: string | null;
}
/** A backup of `nightly` by default; `completed` sets start and creation a few minutes earlier. */
function backup(name: string, o: BackupOpts = {}): Backup {
  const labels = o.label === null ? undefined : { 'velero.io/schedule-name': o.label ?? 'nightly' };
  return {
    metadata: { name, namespace: 'velero', labels, creationTimestamp: o.created ?? o.started ?? o.completed },
    status: o.noStatus
      ? undefined
      : {
          phase: o.phase ?? 'Completed',
          startTimestamp: o.started ?? o.completed,
          completionTimestamp: o.completed,
          errors: o.errors,
          failureReason: o.failureReason,
        },
  };
}

const ok = <T>(...items: T[]): Listed<T> => ({ ok: true, items });
const failed = <T>(reason: UnknownReason | 'NotFound', missingRule?: string): Listed<T> => ({
  ok: false,
  error: { reason, message: `simulated ${reason}`, missingRule },
});

type Case = {
  given: string;
  schedules: Listed<Schedule>;
  backups?: Listed<Backup>;
  settings?: CheckSettings;
  status: string;
  reason: ReasonCode<'backup-freshness'>;
  message: RegExp;
};

// Daily cron → interval 24h → auto maxAge = 2 × 24h + 1h grace = 49h ("2d1h").
const cases: Case[] = [
  {
    given: 'a Completed backup 10h old',
    schedules: ok(schedule('nightly')),
    backups: ok(backup('nightly-20261125020000', { completed: ago(10 * H) })),
    status: 'ok',
    reason: 'BackupFresh',
    message: /^newest Completed backup nightly-20261125020000 is 10h old \(max 2d1h\)$/,
  },
  {
    given: 'the newest Completed backup 3d4h old',
    schedules: ok(schedule('nightly')),
    backups: ok(backup('nightly-20261122080000', { completed: ago(3 * D + 4 * H) })),
    status: 'fail',
    reason: 'BackupStale',
    message: /nightly-20261122080000 is 3d4h old \(max 2d1h\); run \/dp backup store-042 --schedule nightly/,
  },
  {
    given: 'a fixed maxAge of 12h and a backup 13h old',
    schedules: ok(schedule('nightly')),
    backups: ok(backup('b1', { completed: ago(13 * H) })),
    settings: settings({ maxAgeMs: 12 * H }),
    status: 'fail',
    reason: 'BackupStale',
    message: /is 13h old \(max 12h\)/,
  },
  {
    given: 'an old schedule with no backups',
    schedules: ok(schedule('nightly')),
    status: 'fail',
    reason: 'NeverSucceeded',
    message: /never produced a Completed backup \(no backups at all\)/,
  },
  {
    given: 'a brand-new schedule (3h old) with no backups yet (DESIGN: NeverSucceeded is fail)',
    schedules: ok(schedule('nightly', { created: ago(3 * H) })),
    status: 'fail',
    reason: 'NeverSucceeded',
    message:
      /is new \(created 3h ago\) and has no Completed backup yet, so nothing can be restored; the first is due within 2d1h/,
  },
  {
    given: 'a schedule with an unreadable creationTimestamp and no backups',
    schedules: ok(schedule('nightly', { created: 'last tuesday' })),
    status: 'fail',
    reason: 'NeverSucceeded',
    message: /never produced/,
  },
  {
    given: 'the newest finished backup Failed after an older fresh one',
    schedules: ok(schedule('nightly')),
    backups: ok(
      backup('b-old', { completed: ago(20 * H) }),
      backup('b-new', {
        phase: 'Failed',
        completed: ago(H),
        failureReason: 'get a backup store: access denied',
      }),
    ),
    status: 'fail',
    reason: 'BackupFailed',
    message:
      /^newest finished backup b-new is Failed: get a backup store: access denied \(velero backup logs b-new -n velero\) — also BackupFresh: newest Completed backup b-old is 20h old/,
  },
  {
    given:
      'an old Failed backup the backup sync re-created just now (newest creationTimestamp, oldest start)',
    schedules: ok(schedule('nightly')),
    backups: ok(
      backup('b-fresh', { completed: ago(10 * H) }),
      backup('b-old', {
        phase: 'Failed',
        created: ago(60_000),
        started: ago(20 * D),
        completed: ago(20 * D),
      }),
    ),
    status: 'ok',
    reason: 'BackupFresh',
    message: /^newest Completed backup b-fresh is 10h old \(max 2d1h\)$/,
  },
  {
    given: 'freshness is the newest completion, not the newest start (a long backup finished last)',
    schedules: ok(schedule('nightly')),
    backups: ok(
      backup('b-long', { started: ago(60 * H), completed: ago(5 * H) }),
      backup('b-short', { started: ago(30 * H), completed: ago(29 * H) }),
    ),
    status: 'ok',
    reason: 'BackupFresh',
    message: /^newest Completed backup b-long is 5h old/,
  },
  {
    given: 'the newest finished backup FailedValidation',
    schedules: ok(schedule('nightly')),
    backups: ok(
      backup('b1', { completed: ago(2 * H) }),
      backup('b2', { phase: 'FailedValidation', created: ago(H) }),
    ),
    status: 'fail',
    reason: 'BackupFailed',
    message: /b2 is FailedValidation/,
  },
  {
    given: 'only Failed backups',
    schedules: ok(schedule('nightly')),
    backups: ok(backup('b1', { phase: 'Failed', completed: ago(H) })),
    status: 'fail',
    reason: 'BackupFailed',
    message:
      /also NeverSucceeded: schedule nightly has never produced a Completed backup \(1 backup\(s\), none Completed\)/,
  },
  {
    given: 'the newest finished backup PartiallyFailed (partialFailedIs: warn)',
    schedules: ok(schedule('nightly')),
    backups: ok(
      backup('b1', { completed: ago(30 * H) }),
      backup('b2', { phase: 'PartiallyFailed', completed: ago(H), errors: 3 }),
    ),
    status: 'warn',
    reason: 'BackupPartiallyFailed',
    message: /b2 PartiallyFailed \(3 errors\) \(velero backup describe b2 --details -n velero\)/,
  },
  {
    given: 'the newest finished backup PartiallyFailed (partialFailedIs: fail)',
    schedules: ok(schedule('nightly')),
    backups: ok(
      backup('b1', { completed: ago(30 * H) }),
      backup('b2', { phase: 'PartiallyFailed', completed: ago(H) }),
    ),
    settings: settings({ partialFailedIs: 'fail' }),
    status: 'fail',
    reason: 'BackupPartiallyFailed',
    message: /b2 PartiallyFailed/,
  },
  {
    given: 'PartiallyFailed counts as good when partialFailedIs: ok',
    schedules: ok(schedule('nightly')),
    backups: ok(
      backup('b1', { completed: ago(60 * H) }),
      backup('b2', { phase: 'PartiallyFailed', completed: ago(H) }),
    ),
    settings: settings({ partialFailedIs: 'ok' }),
    status: 'ok',
    reason: 'BackupFresh',
    message: /newest PartiallyFailed backup b2 is 1h old/,
  },
  ...[
    'New',
    'Queued',
    'ReadyToStart',
    'InProgress',
    'WaitingForPluginOperations',
    'FinalizingPartiallyFailed',
  ].map(
    (phase): Case => ({
      given: `the newest backup ${phase} for 30h (interval 24h)`,
      schedules: ok(schedule('nightly')),
      backups: ok(backup('b1', { completed: ago(40 * H) }), backup('b2', { phase, started: ago(30 * H) })),
      status: 'warn',
      reason: 'BackupStuck',
      message: new RegExp(
        `b2 has been ${phase} for 1d6h \\(schedule interval 1d\\); Velero starts no new backup`,
      ),
    }),
  ),
  {
    given: 'the newest backup has no status at all (Velero: New) for 30h',
    schedules: ok(schedule('nightly')),
    backups: ok(
      backup('b1', { completed: ago(40 * H) }),
      backup('b2', { noStatus: true, created: ago(30 * H) }),
    ),
    status: 'warn',
    reason: 'BackupStuck',
    message: /b2 has been New for 1d6h/,
  },
  {
    given: 'the newest backup InProgress for only 2h',
    schedules: ok(schedule('nightly')),
    backups: ok(
      backup('b1', { completed: ago(20 * H) }),
      backup('b2', { phase: 'InProgress', started: ago(2 * H) }),
    ),
    status: 'ok',
    reason: 'BackupFresh',
    message: /b1 is 20h old/,
  },
  {
    given: 'a paused schedule whose last backup is still fresh',
    schedules: ok(schedule('nightly', { paused: true })),
    backups: ok(backup('b1', { completed: ago(5 * H) })),
    status: 'warn',
    reason: 'SchedulePaused',
    message: /nightly is paused.*velero schedule unpause nightly -n velero.* — also BackupFresh/,
  },
  {
    given: 'a paused schedule whose last backup is stale',
    schedules: ok(schedule('nightly', { paused: true })),
    backups: ok(backup('b1', { completed: ago(4 * D) })),
    status: 'fail',
    reason: 'BackupStale',
    message: /is 4d old \(max 2d1h\).* — also SchedulePaused: schedule nightly is paused/,
  },
  {
    given: 'a schedule Velero rejected (FailedValidation)',
    schedules: ok(
      schedule('nightly', { phase: 'FailedValidation', validationErrors: ['invalid schedule: bad'] }),
    ),
    backups: ok(backup('b1', { completed: ago(5 * H) })),
    status: 'fail',
    reason: 'BackupFailed',
    message:
      /failed Velero's validation \(invalid schedule: bad\), so it creates no backups; .*velero schedule describe nightly -n velero/,
  },
  {
    given: 'an unparseable cron',
    schedules: ok(schedule('nightly', { cron: 'every day at two' })),
    backups: ok(backup('b1', { completed: ago(5 * H) })),
    status: 'fail',
    reason: 'BackupFailed',
    message: /cron "every day at two" that cannot be parsed/,
  },
  {
    given: 'a schedule without spec',
    schedules: ok(schedule('nightly', { noSpec: true })),
    status: 'fail',
    reason: 'BackupFailed',
    message: /cannot be parsed \(schedule is empty\)/,
  },
  {
    given: 'a Completed backup whose timestamps are all garbage',
    schedules: ok(schedule('nightly')),
    backups: ok(backup('b1', { completed: 'soon', created: 'never' })),
    status: 'fail',
    reason: 'BackupStale',
    message: /b1 has no readable timestamp/,
  },
  {
    given: 'backups without the schedule label or of another schedule',
    schedules: ok(schedule('nightly')),
    backups: ok(
      backup('mine?', { completed: ago(H), label: null }),
      backup('theirs', { completed: ago(H), label: 'weekly' }),
    ),
    status: 'fail',
    reason: 'NeverSucceeded',
    message: /no backups at all/,
  },
  {
    given: 'no schedule',
    schedules: ok(),
    status: 'fail',
    reason: 'NoSchedule',
    message: /no Velero Schedule in namespace velero/,
  },
  {
    given: 'only a schedule in another namespace',
    schedules: ok({ ...schedule('nightly'), metadata: { name: 'nightly', namespace: 'elsewhere' } }),
    status: 'fail',
    reason: 'NoSchedule',
    message: /no Velero Schedule/,
  },
  {
    given: 'Schedule CRD not served',
    schedules: failed('NotFound'),
    status: 'fail',
    reason: 'NoSchedule',
    message: /CRDs are not installed/,
  },
  {
    given: 'schedules Forbidden',
    schedules: failed('Forbidden', 'list velero.io/schedules in namespace velero'),
    status: 'unknown',
    reason: 'Forbidden',
    message: /not allowed to list velero.io\/schedules in namespace velero/,
  },
  {
    given: 'schedules unreachable',
    schedules: failed('ClusterUnreachable'),
    status: 'unknown',
    reason: 'ClusterUnreachable',
    message: /cannot reach/,
  },
  {
    given: 'schedules timeout',
    schedules: failed('Timeout'),
    status: 'unknown',
    reason: 'Timeout',
    message: /timed out/,
  },
  {
    given: 'schedules API error',
    schedules: failed('ApiError'),
    status: 'unknown',
    reason: 'ApiError',
    message: /returned an error/,
  },
  {
    given: 'backups Forbidden',
    schedules: ok(schedule('nightly'), schedule('weekly')),
    backups: failed('Forbidden', 'list velero.io/backups in namespace velero'),
    status: 'unknown',
    reason: 'Forbidden',
    message: /list velero.io\/backups/,
  },
  {
    given: 'backups list timed out',
    schedules: ok(schedule('nightly')),
    backups: failed('Timeout'),
    status: 'unknown',
    reason: 'Timeout',
    message: /Backups in namespace velero timed out/,
  },
];

describe('backup-freshness', () => {
  it.each(cases)('given $given, then $status $reason', (c) => {
    const findings = checkBackupFreshness(snapshot(c.schedules, c.backups), NOW, c.settings ?? settings());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ check: 'backup-freshness', status: c.status, reason: c.reason });
    expect(findings[0].message).toMatch(c.message);
    expect(findings[0].message).not.toContain('\n');
  });

  it('gives one finding per schedule, resource <ns>/<schedule>, with numbers in evidence', () => {
    const findings = checkBackupFreshness(
      snapshot(
        ok(schedule('weekly', { cron: '@weekly' }), schedule('nightly')),
        ok(
          backup('n1', { completed: ago(10 * H) }),
          backup('w1', { completed: ago(3 * D), label: 'weekly' }),
        ),
      ),
      NOW,
      settings(),
    );
    expect(findings.map((f) => [f.resource, f.reason])).toEqual([
      ['velero/nightly', 'BackupFresh'],
      ['velero/weekly', 'BackupFresh'],
    ]);
    expect(findings[0].evidence).toMatchObject({
      backup: 'n1',
      ageMs: 10 * H,
      maxAgeMs: 49 * H,
      intervalMs: D,
    });
    expect(findings[1].evidence).toMatchObject({ backup: 'w1', maxAgeMs: 2 * 7 * D + H });
  });

  it('does not false-alarm over a weekend for a weekdays-only cron', () => {
    const monday = new Date('2026-11-23T01:00:00Z'); // before Monday's 02:00 run
    const fridayBackup = backup('wd-20261120020000', { completed: at(monday, 2 * D + 22 * H + 50 * 60_000) });
    const given = snapshot(ok(schedule('nightly', { cron: '0 2 * * 1-5' })), ok(fridayBackup));
    const weekday = checkBackupFreshness(given, monday, settings())[0];
    expect(weekday).toMatchObject({ status: 'ok', reason: 'BackupFresh', evidence: { intervalMs: 3 * D } });
    // The same backup under a daily cron is stale: the weekday gap is what saves it.
    const daily = snapshot(ok(schedule('nightly', { cron: '0 2 * * *' })), ok(fridayBackup));
    expect(checkBackupFreshness(daily, monday, settings())[0].reason).toBe('BackupStale');
  });

  it("matches Velero's hashed schedule-name label for names over 63 characters", () => {
    const long = `nightly-${'x'.repeat(70)}`;
    const label = long.slice(0, 57) + createHash('sha256').update(long).digest('hex').slice(0, 6);
    const findings = checkBackupFreshness(
      snapshot(ok(schedule(long)), ok(backup('b1', { completed: ago(H), label }))),
      NOW,
      settings(),
    );
    expect(findings[0]).toMatchObject({ reason: 'BackupFresh', resource: `velero/${long}` });
  });

  it('never throws on malformed objects', () => {
    const junkSchedules = [
      null,
      { metadata: {} },
      { metadata: { name: 's' }, spec: { schedule: 42 }, status: 'x' },
    ];
    const junkBackups = [
      null,
      { metadata: { name: 'b', labels: { 'velero.io/schedule-name': 's' } }, status: { phase: 7 } },
    ];
    const findings = checkBackupFreshness(
      snapshot(ok(...(junkSchedules as unknown as Schedule[])), ok(...(junkBackups as unknown as Backup[]))),
      NOW,
      settings(),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ resource: 'velero/s', status: 'fail' });
  });
});
