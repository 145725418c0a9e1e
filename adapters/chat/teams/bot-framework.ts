/**
 * Everything of the Teams adapter that needs botbuilder values: the CloudAdapter and the turn handler.
 * Only ever imported through ./botbuilder-lazy.ts, so a process that never talks to Teams (a scanning
 * worker) does not load botbuilder (~50 MB of RSS).
 */
import {
  type Activity,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConversationReference,
  TurnContext,
} from 'botbuilder';
import type { BotCredentials } from './bot-credentials.js';
import type { TeamsLogger } from './teams-logger.js';
import { type TeamsTurnListeners, TeamsTurns } from './teams-turns.js';

export interface BotFramework {
  adapter: CloudAdapter;
  turns: TeamsTurns;
  /** TurnContext.getConversationReference: what a proactive post needs to reach the conversation later. */
  referenceOf(activity: Activity): Partial<ConversationReference>;
}

export function createBotFramework(
  credentials: BotCredentials,
  listeners: TeamsTurnListeners,
  logger: TeamsLogger,
): BotFramework {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({ ...credentials }));
  // Logged and answered 200: rethrowing would make botbuilder print the error to the console and put
  // its text in the HTTP answer; the user sees no reply and can ask again.
  adapter.onTurnError = async (context, err) => {
    logger.error({ err, activityId: context.activity.id, type: context.activity.type }, 'teams turn failed');
  };
  return {
    adapter,
    turns: new TeamsTurns(listeners, logger),
    referenceOf: (activity) => TurnContext.getConversationReference(activity),
  };
}
