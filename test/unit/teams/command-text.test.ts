import { commandText } from '../../../adapters/chat/teams/command-text.js';

const bot = { id: '28:bot', name: 'dpbot' };
const mention = { type: 'mention', mentioned: bot, text: '<at>dpbot</at>' };

function activity(text: string, opts: { conversationType?: string; mentioned?: boolean } = {}) {
  return {
    text,
    recipient: bot,
    conversation: { id: 'c', conversationType: opts.conversationType ?? 'channel', isGroup: true, name: '' },
    entities: opts.mentioned ? [mention] : [],
  };
}

describe('commandText', () => {
  test.each([
    // given text, scope, mentioned → command text (undefined = not for dpbot)
    ['dp status store-042', 'channel', false, 'status store-042'],
    ['DP status store-042', 'channel', false, 'status store-042'],
    ['/dp status store-042', 'groupChat', false, 'status store-042'],
    ['<at>dpbot</at> status store-042\n', 'channel', true, 'status store-042'],
    ['<at>dpbot</at>&nbsp;dp status all', 'channel', true, 'status all'],
    [
      '<at>dpbot</at>\u00a0restore store-042 --reason "oops"',
      'groupChat',
      true,
      'restore store-042 --reason "oops"',
    ],
    ['<at>dpbot</at>', 'channel', true, ''],
    ['status store-042', 'personal', false, 'status store-042'],
    ['dp', 'personal', false, ''],
    ['dpkg is broken', 'channel', false, undefined],
    ['status of the deploy?', 'channel', false, undefined],
    ['status of the deploy?', 'groupChat', false, undefined],
  ])('%j in %s (mentioned=%s) → %j', (text, conversationType, mentioned, expected) => {
    expect(commandText(activity(text, { conversationType, mentioned }))).toBe(expected);
  });

  test('a mention of someone else is not a mention of dpbot', () => {
    const a = {
      ...activity('<at>Alice</at> status store-042'),
      entities: [{ type: 'mention', mentioned: { id: '29:alice', name: 'Alice' }, text: '<at>Alice</at>' }],
    };
    expect(commandText(a)).toBeUndefined();
  });
});
