/** Parses a card with the real `adaptivecards` package and returns every parse or validation event. */
import type { AdaptiveCard } from '../../../adapters/chat/teams/render.js';

// The package's ESM build (lib/) uses extension-less imports that Node cannot load; its UMD bundle
// (dist/) loads as CommonJS in plain Node, no DOM needed for parsing.
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

export function cardProblems(card: AdaptiveCard): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  for (const e of parsed.validateProperties().validationEvents) problems.push(e.message);
  return problems;
}
