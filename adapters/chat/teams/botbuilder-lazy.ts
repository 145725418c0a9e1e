/**
 * The one way into botbuilder's values: loaded on first use (the web role's start(), or a worker's first
 * Teams post), never at process start. Type-only imports of 'botbuilder' elsewhere are fine.
 */
let botFramework: Promise<typeof import('./bot-framework.js')> | undefined;

export function loadBotFramework(): Promise<typeof import('./bot-framework.js')> {
  botFramework ??= import('./bot-framework.js');
  return botFramework;
}
