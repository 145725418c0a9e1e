import { CARD_SIZE_LIMIT, cardBytes, renderCard } from '../../../adapters/chat/teams/render.js';
import { sampleMessages } from '../../fixtures/sample-messages.js';
import { cardProblems } from './card-validator.js';

describe('Teams Adaptive Card renderer', () => {
  test('buttons become Action.Execute with dp:<verb> and id-only data', () => {
    const card = renderCard(sampleMessages.approval);
    expect(card.actions).toEqual([
      {
        type: 'Action.Execute',
        title: 'Approve',
        verb: 'dp:approve',
        data: { id: 'k3J9xQ2m', hash: '9f2c1a0b7d3e' },
        style: 'positive',
      },
      {
        type: 'Action.Execute',
        title: 'Reject',
        verb: 'dp:reject',
        data: { id: 'k3J9xQ2m', hash: '9f2c1a0b7d3e' },
        style: 'destructive',
      },
    ]);
  });

  test('an oversized report is cut to the limit and says how much is missing', () => {
    const full = JSON.stringify(sampleMessages['status-report-long']);
    expect(Buffer.byteLength(full)).toBeGreaterThan(CARD_SIZE_LIMIT / 2);
    const card = renderCard(sampleMessages['status-report-long'], 8 * 1024);
    expect(cardBytes(card)).toBeLessThanOrEqual(8 * 1024);
    const text = JSON.stringify(card.body);
    expect(text).toMatch(/… \d+ more not shown \(Teams card size limit\)/);
    expect(text).toContain('team-0');
    expect(cardProblems(card)).toEqual([]);
  });

  test('the validator does flag a broken card (so a clean result means something)', () => {
    const card = renderCard(sampleMessages.text);
    card.body.push({ type: 'NoSuchElement' });
    expect(cardProblems(card).length).toBeGreaterThan(0);
  });

  test('a highlighted field is shown in attention colour, in order', () => {
    const body = renderCard(sampleMessages.approval).body;
    const idx = body.findIndex((e) => String(e.text).includes('Existing resources'));
    expect(body[idx]).toMatchObject({ type: 'TextBlock', color: 'attention' });
    expect(body[idx - 1]).toMatchObject({ type: 'FactSet' });
    expect(body[idx + 1]).toMatchObject({ type: 'FactSet' });
  });
});
