/** Neutral BotMessage → Adaptive Card 1.5 with Action.Execute buttons (Teams Universal Actions). */
import { type BotMessage, type Button, STATUS_EMOJI } from '../../../bot/message.js';
import { type CardElement, listLength, renderSection, TONE_COLOR, textBlock } from './render-sections.js';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/**
 * Teams refuses messages over ~28 KB including the activity envelope; cards stay under 25 KB
 * with room to spare for the envelope and the invoke response wrapper.
 */
export const CARD_SIZE_LIMIT = 24 * 1024;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  fallbackText: string;
  msteams: { width: 'Full' };
  body: CardElement[];
  actions?: CardElement[];
}

export interface CardAttachment {
  contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  content: AdaptiveCard;
}

export function renderCard(message: BotMessage, limit = CARD_SIZE_LIMIT): AdaptiveCard {
  const longest = Math.max(0, ...message.sections.map(listLength));
  const full = buildCard(message, longest);
  if (cardBytes(full) <= limit) return full;
  // Size grows with the number of list items kept, so binary-search the largest cap that fits.
  let lo = 0;
  let hi = longest;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (cardBytes(buildCard(message, mid)) <= limit) lo = mid;
    else hi = mid - 1;
  }
  return buildCard(message, lo);
}

export function cardAttachment(message: BotMessage): CardAttachment {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: renderCard(message) };
}

export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

function buildCard(message: BotMessage, cap: number): AdaptiveCard {
  const body: CardElement[] = [];
  if (message.title) {
    const emoji = STATUS_EMOJI[message.tone ?? 'info'];
    body.push(
      textBlock(`${emoji} ${message.title}`, {
        size: 'Medium',
        weight: 'Bolder',
        color: TONE_COLOR[message.tone ?? 'info'],
      }),
    );
  }
  for (const section of message.sections) body.push(...renderSection(section, cap));
  const card: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    fallbackText: message.summary,
    msteams: { width: 'Full' },
    body,
  };
  if (message.buttons?.length) card.actions = message.buttons.map(renderButton);
  return card;
}

// Action.Execute reaches the bot as an `adaptiveCard/action` invoke; data carries only ids (DESIGN §7).
function renderButton(button: Button): CardElement {
  const action: CardElement = {
    type: 'Action.Execute',
    title: button.label,
    verb: `dp:${button.verb}`,
    data: { ...button.value },
  };
  if (button.style === 'primary') action.style = 'positive';
  if (button.style === 'danger') action.style = 'destructive';
  return action;
}
