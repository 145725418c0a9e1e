/**
 * One contract, every chat adapter (STYLE 15): the same cases run against Slack (real Bolt over HTTP,
 * signed requests), Teams (real botbuilder, a fake Bot Framework connector) and the shell (the real
 * ShellAdapter on piped streams), each inside the real bot (`startDpbot`). They assert what the user
 * sees: errors with their usage, a scan answered "updating" then edited in place, the approval card
 * replacing its "Checking…" placeholder, denials, and every verb of BUTTON_VERBS as a button whose
 * click reaches its handler. A platform without something (the shell has no buttons) says so in its
 * driver's `can`, and the case is skipped for it by name.
 */
import { type BotMessage, BUTTON_VERBS, type ButtonVerb } from '../../bot/message.js';
import { CLUSTER, VIEWED_CLUSTER } from '../support/chat-contract/contract-bot.js';
import type { ChatDriver, ChatPlatformDriver, Seen, SeenButton } from '../support/chat-contract/driver.js';
import { shellDriver } from '../support/chat-contract/shell-driver.js';
import { slackDriver } from '../support/chat-contract/slack-driver.js';
import { teamsDriver } from '../support/chat-contract/teams-driver.js';

jest.setTimeout(60_000);

const SCANNING = 'scanning now… this message will update';

/** What each verb's button carries on the card that shows every verb (ids only, DESIGN §7). */
const BUTTON_VALUES: Record<ButtonVerb, Record<string, string>> = {
  approve: { id: 'k3j9xq2mab', hash: '9f2c1a0b7d3e' },
  reject: { id: 'k3j9xq2mab', hash: '9f2c1a0b7d3e' },
  snooze: { key: `${CLUSTER}/backup-freshness/velero/nightly`, for: '4h' },
  backup: { cluster: CLUSTER, schedule: 'nightly' },
  status: { cluster: CLUSTER },
};

function everyVerbCard(): BotMessage {
  return {
    kind: 'alert',
    title: `${CLUSTER}: one button per verb`,
    summary: `${CLUSTER}: one button per verb`,
    sections: [{ type: 'text', text: 'Each button below is one verb of BUTTON_VERBS.' }],
    buttons: BUTTON_VERBS.map((verb) => ({ verb, label: `Do ${verb}`, value: BUTTON_VALUES[verb] })),
  };
}

function buttonOf(message: Seen, verb: ButtonVerb): SeenButton {
  const button = message.buttons.find((b) => b.verb === verb);
  if (!button) throw new Error(`no ${verb} button on: ${message.text}`);
  return button;
}

/** alice asks for a backup of store-1: a "Checking…" card, edited in place into the approval card. */
async function approvalCard(d: ChatDriver): Promise<{ checking: Seen; card: Seen }> {
  const checking = await d.command(`backup ${CLUSTER}`);
  const card = await d.updateOf(checking, (t) => t.includes('approval needed'));
  return { checking, card };
}

/** How each verb's click must be answered, one per verb (a new verb fails to compile until it has one). */
const CLICKS: Record<ButtonVerb, (d: ChatDriver) => Promise<void>> = {
  async approve(d) {
    const { card } = await approvalCard(d);
    const answer = await d.click('bob', card, buttonOf(card, 'approve'));
    expect(answer.replaced).toBe(true);
    expect(answer.text).toContain('Waiting for approval');
    expect(answer.text).toContain(`1/2 (${d.ids.bob})`);
  },
  async reject(d) {
    const { card } = await approvalCard(d);
    const answer = await d.click('bob', card, buttonOf(card, 'reject'));
    expect(answer.replaced).toBe(true);
    expect(answer.text).toContain(`Rejected by ${d.ids.bob}`);
    expect(answer.buttons).toEqual([]);
  },
  async snooze(d) {
    // bob approves store-1 but does not operate it: the snooze handler refuses him, privately.
    const card = await d.post(everyVerbCard());
    const answer = await d.click('bob', card, buttonOf(card, 'snooze'));
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toContain(
      `${d.ids.bob} is not an operator of ${CLUSTER}, so cannot snooze its alerts.`,
    );
  },
  async backup(d) {
    const card = await d.post(everyVerbCard());
    const answer = await d.click('alice', card, buttonOf(card, 'backup'));
    expect([answer.ephemeral, answer.replaced]).toEqual([false, false]);
    expect(answer.text).toContain(`Backup of ${CLUSTER} (schedule nightly)`);
    await d.updateOf(answer, (t) => t.includes('approval needed'));
  },
  async status(d) {
    const card = await d.post(everyVerbCard());
    const answer = await d.click('alice', card, buttonOf(card, 'status'));
    expect([answer.ephemeral, answer.replaced]).toEqual([false, false]);
    expect(answer.text).toContain(`${CLUSTER}:`);
    expect(answer.text).toContain(SCANNING);
    await d.updateOf(answer, (t) => !t.includes(SCANNING));
  },
};

describe.each<ChatPlatformDriver>([slackDriver, teamsDriver, shellDriver])(
  '$platform chat adapter',
  (platform) => {
    let d: ChatDriver;
    beforeAll(async () => {
      d = await platform.start();
    });
    afterAll(async () => {
      await d?.close();
    });
    const withButtons = platform.can.buttons ? it : it.skip;

    it.each([
      ['frobnicate', 'Unknown command "frobnicate". Try /dp help.', '/dp help [command]'],
      ['status Store_42', 'not a valid cluster name', '/dp status <cluster>|all [--refresh]'],
      ['backups store-1 --limit 0', '--limit must be a whole number from 1 to 100', '/dp backups <cluster>'],
    ])('"%s" is answered with the error and the usage', async (text, error, usage) => {
      const reply = await d.command(text);
      expect(reply.text).toContain(error);
      expect(reply.text).toContain(`Usage: ${usage}`);
      expect(reply.ephemeral).toBe(platform.can.ephemeralCommands);
    });

    it('a command the caller lacks the role for is denied', async () => {
      const reply = await d.command(`backup ${VIEWED_CLUSTER}`);
      expect(reply.text).toContain(`${d.ids.alice} is not an operator of ${VIEWED_CLUSTER}.`);
      expect(reply.ephemeral).toBe(platform.can.ephemeralCommands);
      expect(reply.buttons).toEqual([]);
    });

    it('status answers at once, "scanning now", then the same message is edited with the scan', async () => {
      const reply = await d.command(`status ${CLUSTER}`);
      expect(reply.ephemeral).toBe(false);
      expect(reply.text).toContain(`${CLUSTER}:`);
      expect(reply.text).toContain(SCANNING);
      const updated = await d.updateOf(reply, (t) => !t.includes(SCANNING));
      expect(updated.text).toContain('BackupFresh');
      expect(updated.text).toContain(`${CLUSTER}: `);
    });

    it('backup answers "Checking…", then the same message becomes the approval card', async () => {
      const { checking, card } = await approvalCard(d);
      expect(checking.ephemeral).toBe(false);
      expect(checking.text).toContain(
        `Checking the backup storage location on ${CLUSTER}… this message becomes the approval card.`,
      );
      expect(card.text).toContain(`Backup of ${CLUSTER} — approval needed`);
      expect(card.buttons.map((b) => [b.verb, b.label])).toEqual([
        ['approve', 'Approve'],
        ['reject', 'Reject'],
      ]);
    });

    it('every verb of BUTTON_VERBS is shown as a button (the shell: the command to type)', async () => {
      const card = await d.post(everyVerbCard());
      expect(card.buttons.map((b) => b.verb)).toEqual([...BUTTON_VERBS]);
      for (const b of card.buttons) {
        if (platform.can.buttons) expect(b.value).toEqual(BUTTON_VALUES[b.verb as ButtonVerb]);
        else expect(b.handle).toMatch(new RegExp(`^/dp ${b.verb} `));
      }
    });

    withButtons.each([...BUTTON_VERBS])('clicking %s reaches its handler (needs buttons)', (verb) =>
      CLICKS[verb](d),
    );
  },
);
