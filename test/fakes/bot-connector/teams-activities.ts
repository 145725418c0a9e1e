/** Activities shaped as Teams sends them to a bot (message, conversationUpdate, adaptiveCard/action invoke). */
import type { JsonObject } from './fake-bot-connector.js';

export const BOT = { id: '28:00000000-0000-0000-0000-00000000b075', name: 'dpbot' };
export const TENANT = '72f988bf-0000-0000-0000-000000000001';
export const ALICE = { id: '29:1alice', name: 'Alice', aadObjectId: '6f1c0000-0000-0000-0000-00000000a11c' };
export const BOB = { id: '29:1bob', name: 'Bob', aadObjectId: '9d2e0000-0000-0000-0000-000000000b0b' };
export const CHANNEL = '19:4f2a9c0d1e@thread.tacv2';
export const TEAM = '19:team0001@thread.tacv2';
export const GROUP_CHAT = '19:meeting_abc@thread.v2';
export const PERSONAL_CHAT = 'a:1personal-chat-with-alice';

let seq = 1_700_000_000_000;
const nextId = () => String(seq++);

export type Scope = 'channel' | 'groupChat' | 'personal';

function conversation(scope: Scope, rootId?: string): JsonObject {
  if (scope === 'channel') {
    return {
      isGroup: true,
      conversationType: 'channel',
      tenantId: TENANT,
      id: rootId ? `${CHANNEL};messageid=${rootId}` : CHANNEL,
    };
  }
  if (scope === 'groupChat')
    return { isGroup: true, conversationType: 'groupChat', tenantId: TENANT, id: GROUP_CHAT };
  return { conversationType: 'personal', tenantId: TENANT, id: PERSONAL_CHAT };
}

function channelData(scope: Scope): JsonObject {
  const tenant = { id: TENANT };
  if (scope !== 'channel') return { tenant };
  return { teamsChannelId: CHANNEL, teamsTeamId: TEAM, channel: { id: CHANNEL }, team: { id: TEAM }, tenant };
}

function base(serviceUrl: string, scope: Scope, from: JsonObject, rootId?: string): JsonObject {
  return {
    id: nextId(),
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from,
    conversation: conversation(scope, rootId),
    recipient: BOT,
    locale: 'en-US',
    channelData: channelData(scope),
  };
}

/** A message; `mention` puts `<at>dpbot</at>` in front as Teams does for @dpbot. */
export function teamsMessage(
  serviceUrl: string,
  text: string,
  opts: { scope?: Scope; from?: JsonObject; mention?: boolean } = {},
): JsonObject {
  const scope = opts.scope ?? 'channel';
  const id = nextId();
  const activity = base(serviceUrl, scope, opts.from ?? ALICE, scope === 'channel' ? id : undefined);
  const mention = `<at>${BOT.name}</at>`;
  return {
    ...activity,
    id,
    type: 'message',
    textFormat: 'plain',
    text: opts.mention ? `${mention}&nbsp;${text}\n` : text,
    entities: [
      ...(opts.mention ? [{ type: 'mention', mentioned: BOT, text: mention }] : []),
      { type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'Europe/Berlin' },
    ],
  };
}

/** The conversationUpdate Teams sends when dpbot is added to a team (conversation = the General channel). */
export function botInstalled(serviceUrl: string, scope: Scope = 'channel'): JsonObject {
  const activity = base(serviceUrl, scope, { id: '29:1installer', aadObjectId: ALICE.aadObjectId });
  return {
    ...activity,
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT.id }],
    channelData: { ...(activity.channelData as JsonObject), eventType: 'teamMemberAdded' },
  };
}

/** What Teams sends when dpbot is removed: the team member removed (channel) or the app uninstalled. */
export function botUninstalled(serviceUrl: string, scope: Scope = 'channel'): JsonObject {
  const activity = base(serviceUrl, scope, { id: '29:1remover', aadObjectId: ALICE.aadObjectId });
  if (scope === 'channel')
    return {
      ...activity,
      type: 'conversationUpdate',
      membersRemoved: [{ id: BOT.id }],
      channelData: { ...(activity.channelData as JsonObject), eventType: 'teamMemberRemoved' },
    };
  return { ...activity, type: 'installationUpdate', action: 'remove' };
}

/** The invoke Teams sends when someone clicks an Action.Execute button on the card `cardActivityId`. */
export function cardClick(
  serviceUrl: string,
  cardActivityId: string,
  verb: string,
  data: Record<string, string>,
  opts: { from?: JsonObject; scope?: Scope; rootId?: string } = {},
): JsonObject {
  const scope = opts.scope ?? 'channel';
  return {
    ...base(
      serviceUrl,
      scope,
      opts.from ?? BOB,
      scope === 'channel' ? (opts.rootId ?? cardActivityId) : undefined,
    ),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: cardActivityId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}
