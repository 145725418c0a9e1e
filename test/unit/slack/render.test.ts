import { renderSlack } from '../../../adapters/chat/slack/render.js';
import type { BotMessage } from '../../../bot/message.js';
import { slackLimitViolations } from '../../golden/slack/within-slack-limits.js';

const finding = (i: number, message = `namespace team-${i} has PVCs but no schedule includes it`) => ({
  check: 'backup-coverage' as const,
  status: 'warn' as const,
  reason: 'NamespaceNotBackedUp' as const,
  message,
});

function huge(n: number): BotMessage {
  return {
    kind: 'status-report',
    title: 'x'.repeat(400),
    summary: 's'.repeat(50_000),
    tone: 'warn',
    sections: [
      {
        type: 'findings',
        findings: Array.from({ length: n }, (_, i) => finding(i, `${i} ${'y'.repeat(400)}`)),
      },
      { type: 'context', text: 'scanned 2m ago' },
    ],
    buttons: [{ verb: 'status', label: 'Refresh '.repeat(20), value: { cluster: 'store-042' } }],
  };
}

describe('renderSlack limits', () => {
  it('truncates a report over 50 blocks with an accurate "n more" line and keeps the trailing context', () => {
    const payload = renderSlack(huge(2000));
    expect(slackLimitViolations(payload)).toEqual([]);
    expect(payload.blocks).toHaveLength(50);
    const shown = payload.blocks
      .filter((b) => b.type === 'section')
      .reduce((n, b) => n + ((b as { text: { text: string } }).text.text.split('\n').length ?? 0), 0);
    const note = JSON.stringify(payload.blocks.at(-3));
    expect(note).toContain(`… ${2000 - shown} more findings not shown`);
    expect(JSON.stringify(payload.blocks.at(-2))).toContain('scanned 2m ago');
    expect(payload.blocks.at(-1)!.type).toBe('actions');
  });

  it('cuts a single line longer than a section allows instead of letting Slack reject it', () => {
    const payload = renderSlack({
      kind: 'alert',
      summary: 'long',
      sections: [{ type: 'findings', findings: [finding(1, 'z'.repeat(10_000))] }],
    });
    expect(slackLimitViolations(payload)).toEqual([]);
    expect(JSON.stringify(payload)).toContain('zzz…');
  });

  it('escapes mrkdwn control characters so text cannot forge links or mentions', () => {
    const payload = renderSlack({
      kind: 'text',
      summary: '<!channel>',
      sections: [{ type: 'text', text: '<!channel> & <http://x|y>' }],
    });
    expect(JSON.stringify(payload)).not.toContain('<!channel>');
    expect(JSON.stringify(payload.blocks)).toContain('&lt;!channel&gt; &amp; &lt;http://x|y&gt;');
  });

  it('rejects a button value over 2,000 characters (values carry ids only)', () => {
    expect(() =>
      renderSlack({
        kind: 'text',
        summary: 'x',
        sections: [],
        buttons: [{ verb: 'approve', label: 'A', value: { id: 'x'.repeat(2100) } }],
      }),
    ).toThrow(/exceeds 2000/);
  });
});
