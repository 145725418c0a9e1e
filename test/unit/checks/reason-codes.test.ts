/**
 * The reason-code registry (jobs/checks/reason-codes.ts) against the contract: every code is in DESIGN §6's
 * table row of its check (shared ones in §6's text) or in REASON_CODES_BEYOND_DESIGN, and every code the
 * table lists is in the registry. DESIGN is read from ../shared beside the repository; without it that half
 * is skipped by name. The type-level half at the bottom fails `tsc` (not jest) if the typing regresses.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALERTING_WARN_REASONS } from '../../../jobs/alerts/alert-rules.js';
import { CHECK_NAMES, type CheckName, type Finding } from '../../../jobs/checks/finding.js';
import { listErrorFinding } from '../../../jobs/checks/list-error.js';
import {
  type AnyReasonCode,
  REASON_CODES,
  REASON_CODES_BEYOND_DESIGN,
  type ReasonCode,
  SHARED_REASON_CODES,
} from '../../../jobs/checks/reason-codes.js';
import { repoRoot } from '../../support/crd-locator.js';

const DESIGN = resolve(repoRoot(), '..', 'shared', 'DESIGN.md');
const describeWithDesign = existsSync(DESIGN) ? describe : describe.skip;
const CHECKS_DIR = join(repoRoot(), 'jobs', 'checks');
const codesOf = (check: CheckName): readonly string[] => REASON_CODES[check];
const beyond = (check: CheckName) =>
  REASON_CODES_BEYOND_DESIGN.filter((b) => b.check === check).map((b) => b.code as string);

/** DESIGN §6: the text before the table, and per check the codes its row's last column names. */
function readDesign(text: string): { prose: string; rows: Map<string, string[]> } {
  const section = text.slice(text.indexOf('## 6. Findings'));
  const lines = section.split('\n');
  const header = lines.findIndex((l) => /^\| check \| source \| reasons/.test(l));
  const rows = new Map<string, string[]>();
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split(/(?<!\\)\|/).slice(1, -1);
    const check = /`([a-z-]+)`/.exec(cells[0])?.[1];
    const codes = [...cells.at(-1)!.matchAll(/`([A-Z][A-Za-z]+)`/g)].map((m) => m[1]);
    if (check) rows.set(check, codes);
  }
  return { prose: lines.slice(0, header).join('\n'), rows };
}

describe('reason-code registry', () => {
  it('has a list for every check and nothing else', () => {
    expect(Object.keys(REASON_CODES).sort()).toEqual([...CHECK_NAMES].sort());
  });

  it('names each code once across all checks, apart from the shared ones (alert rules name codes without their check)', () => {
    const all = [...SHARED_REASON_CODES, ...CHECK_NAMES.flatMap(codesOf)];
    expect(all.filter((c, i) => all.indexOf(c) !== i)).toEqual([]);
  });

  it('keeps every "beyond DESIGN" code in its own check list, with where it is documented', () => {
    for (const b of REASON_CODES_BEYOND_DESIGN) {
      expect(codesOf(b.check)).toContain(b.code);
      const file = b.documentedIn.split(' ')[0];
      expect(readFileSync(join(repoRoot(), file), 'utf8')).toContain(`\`${b.code}\``);
    }
  });

  it('has no dead code: every registered code is written in some check source', () => {
    const sources = readdirSync(CHECKS_DIR)
      .filter((f) => f.endsWith('.ts') && f !== 'reason-codes.ts')
      .map((f) => readFileSync(join(CHECKS_DIR, f), 'utf8'))
      .join('\n');
    const unused = [...SHARED_REASON_CODES, ...CHECK_NAMES.flatMap(codesOf)].filter(
      (c) => !sources.includes(`'${c}'`),
    );
    expect(unused).toEqual([]);
  });

  it('alerts on warnings only for codes that exist', () => {
    const known = new Set<string>(CHECK_NAMES.flatMap(codesOf));
    expect([...ALERTING_WARN_REASONS].filter((c) => !known.has(c))).toEqual([]);
  });
});

describeWithDesign(
  `reason codes match DESIGN §6${existsSync(DESIGN) ? '' : ' [skipped: ../shared is not beside the repository]'}`,
  () => {
    const design = () => readDesign(readFileSync(DESIGN, 'utf8'));

    it('finds a table row for every check', () => {
      expect([...design().rows.keys()].sort()).toEqual([...CHECK_NAMES].sort());
    });

    it.each(CHECK_NAMES)('%s: every code is in its DESIGN row or documented as beyond DESIGN', (check) => {
      const row = design().rows.get(check) ?? [];
      expect(codesOf(check).filter((c) => !row.includes(c) && !beyond(check).includes(c))).toEqual([]);
    });

    it.each(CHECK_NAMES)('%s: every code its DESIGN row names is registered', (check) => {
      expect((design().rows.get(check) ?? []).filter((c) => !codesOf(check).includes(c))).toEqual([]);
    });

    it.each(CHECK_NAMES)('%s: its ok code comes first, as in DESIGN', (check) => {
      expect(codesOf(check)[0]).toBe(design().rows.get(check)?.[0]);
    });

    it('lists nothing as beyond DESIGN that DESIGN now has (move it out of the list)', () => {
      const { rows } = design();
      expect(REASON_CODES_BEYOND_DESIGN.filter((b) => rows.get(b.check)?.includes(b.code))).toEqual([]);
    });

    it('names the shared "could not run" codes in §6', () => {
      const { prose } = design();
      expect(SHARED_REASON_CODES.filter((c) => !prose.includes(`\`${c}\``))).toEqual([]);
    });
  },
);

describe('reason codes are checked by the compiler (tsc fails if this typing regresses)', () => {
  it('rejects a misspelled code, a code of another check, and an alert rule naming a code that does not exist', () => {
    const typo: Finding<'gitops'> = {
      check: 'gitops',
      status: 'ok',
      // @ts-expect-error -- misspelled: GitOpsReady
      reason: 'GitOpsReadyy',
      message: '',
    };
    // @ts-expect-error -- BackupStale is backup-freshness's, not gitops's
    const borrowed: Finding = {
      check: 'gitops',
      status: 'fail',
      reason: 'BackupStale',
      message: '',
    };
    // @ts-expect-error -- misspelled: SecretNearExpiry
    const rule = ['SecretNearExpiri'] satisfies readonly AnyReasonCode[];
    // @ts-expect-error -- misspelled: BackupStuck
    const asked = ALERTING_WARN_REASONS.has('BackupStuk');
    // @ts-expect-error -- a check's own list does not take another check's code
    const own: ReasonCode<'secret-expiry'> = 'SecretSynced';
    expect([typo.reason, borrowed.reason, rule[0], asked, own]).toEqual([
      'GitOpsReadyy',
      'BackupStale',
      'SecretNearExpiri',
      false,
      'SecretSynced',
    ]);
  });

  it('lets every check emit the shared codes through the list-error helper, typed for that check', () => {
    const f: Finding<'kek-rotation'> = listErrorFinding('kek-rotation', 'x', {
      reason: 'Timeout',
      message: '',
    });
    // @ts-expect-error -- a kek-rotation finding is not a gitops finding
    const wrong: Finding<'gitops'> = f;
    expect([f.reason, wrong.check]).toEqual(['Timeout', 'kek-rotation']);
  });
});
