/** Slack's documented Block Kit limits; exceeding any of them makes Slack reject the whole message. */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  /** Section text, context element text. */
  textChars: 3000,
  headerChars: 150,
  fieldsPerSection: 10,
  fieldChars: 2000,
  elementsPerActions: 25,
  buttonTextChars: 75,
  buttonValueChars: 2000,
  actionIdChars: 255,
  contextElements: 10,
  /** Top-level `text` fallback: Slack truncates beyond 40,000; keep notifications short. */
  fallbackChars: 3000,
} as const;

/** Cuts `s` to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, Math.max(0, max - 1))}…`;
}

/** mrkdwn control characters; everything else (backticks, *bold*) is kept on purpose. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
