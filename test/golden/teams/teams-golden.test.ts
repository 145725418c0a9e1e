/**
 * Golden files for every sample message rendered as a Teams Adaptive Card. `npm run test:update-golden`
 * (UPDATE_GOLDEN=1) rewrites them; otherwise the rendered card must match byte for byte.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AdaptiveCard, cardBytes, renderCard } from '../../../adapters/chat/teams/render.js';
import { sampleMessages } from '../../fixtures/sample-messages.js';
import { cardProblems } from '../../unit/teams/card-validator.js';

// One line per top-level key and per body/actions element: readable diffs, and the file size stays
// close to the wire size (pretty-printing a 24 KB card would double it).
function goldenJson(card: AdaptiveCard): string {
  const lines = Object.entries(card).map(([key, value]) =>
    Array.isArray(value)
      ? `  "${key}": [\n${value.map((v) => `    ${JSON.stringify(v)}`).join(',\n')}\n  ]`
      : `  "${key}": ${JSON.stringify(value)}`,
  );
  return `{\n${lines.join(',\n')}\n}\n`;
}

describe('Teams golden cards', () => {
  test.each(Object.keys(sampleMessages))('%s matches its golden file, parses cleanly and fits 25 KB', (name) => {
    const card = renderCard(sampleMessages[name]);
    const json = goldenJson(card);
    const file = join(__dirname, `${name}.json`);
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, json);
    expect(json).toBe(readFileSync(file, 'utf8'));
    expect(JSON.parse(json)).toEqual(card);
    expect(cardProblems(card)).toEqual([]);
    expect(card.version).toBe('1.5');
    expect(cardBytes(card)).toBeLessThan(25 * 1024);
    expect(Buffer.byteLength(json)).toBeLessThan(25 * 1024);
  });
});
