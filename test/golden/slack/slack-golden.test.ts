/** Golden Block Kit for every sample message; `UPDATE_GOLDEN=1` (npm run test:update-golden) rewrites them. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSlack } from '../../../adapters/chat/slack/render.js';
import { sampleMessages } from '../../fixtures/sample-messages.js';
import { slackLimitViolations } from './within-slack-limits.js';

const update = process.env.UPDATE_GOLDEN === '1';

describe('Slack Block Kit golden files', () => {
  it.each(Object.keys(sampleMessages))('%s matches its golden file and Slack limits', (name) => {
    const payload = renderSlack(sampleMessages[name]);
    const file = join(__dirname, `${name}.json`);
    const json = `${JSON.stringify(payload, null, 2)}\n`;
    if (update || !existsSync(file)) {
      if (!update) throw new Error(`missing golden ${file}: run npm run test:update-golden`);
      writeFileSync(file, json);
    }
    expect(json).toBe(readFileSync(file, 'utf8'));
    // The stored golden itself must be something Slack accepts.
    expect(slackLimitViolations(JSON.parse(readFileSync(file, 'utf8')))).toEqual([]);
  });
});
