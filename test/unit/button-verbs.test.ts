/** One list of button verbs: every verb has exactly one click handler, and adapters accept only these. */
import { BUTTON_VERBS, isButtonVerb } from '../../bot/message.js';
import { clicks } from '../../handlers/index.js';

it('every button verb has exactly one click handler, and every handler a verb', () => {
  expect(clicks.map((c) => c.verb).sort()).toEqual([...BUTTON_VERBS].sort());
});

it.each([
  ['approve', true],
  ['status', true],
  ['dp:approve', false],
  ['delete', false],
  ['', false],
])('isButtonVerb(%j) is %s', (verb, expected) => expect(isButtonVerb(verb)).toBe(expected));
