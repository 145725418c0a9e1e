/** Builds requests exactly as Slack sends them (form bodies, v0 signatures) and posts them to dpbot. */
import { createHmac, randomBytes } from 'node:crypto';
import { stringify } from 'node:querystring';

export interface SignedPostOptions {
  secret: string;
  /** Seconds since epoch; default now. */
  timestamp?: number;
  /** Override the computed signature (forgery tests). */
  signature?: string;
  retryNum?: number;
  contentType?: string;
}

export interface PostResult {
  status: number;
  body: string;
  /** Milliseconds until the response arrived. */
  elapsedMs: number;
}

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export async function postSigned(url: string, body: string, o: SignedPostOptions): Promise<PostResult> {
  const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': o.contentType ?? 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': o.signature ?? slackSignature(o.secret, ts, body),
  };
  if (o.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(o.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const started = Date.now();
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, body: await res.text(), elapsedMs: Date.now() - started };
}

export interface CommandFields {
  text: string;
  user?: string;
  team?: string;
  channel?: string;
  responseUrl: string;
  triggerId?: string;
}

/** A `/dp` slash command body, with the fields Slack sends. */
export function slashCommandBody(f: CommandFields): string {
  return stringify(slashCommandPayload(f));
}

/** The same fields as an object: the payload of a Socket Mode `slash_commands` envelope. */
export function slashCommandPayload(f: CommandFields): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: f.team ?? 'T1',
    team_domain: 'acme',
    channel_id: f.channel ?? 'C1',
    channel_name: 'ops',
    user_id: f.user ?? 'U2',
    user_name: 'alice',
    command: '/dp',
    text: f.text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: f.responseUrl,
    trigger_id: f.triggerId ?? `${Date.now()}.1.${randomBytes(8).toString('hex')}`,
  };
}

export interface ClickFields {
  actionId: string;
  value: string;
  user?: string;
  team?: string;
  channel?: string;
  messageTs?: string;
  responseUrl: string;
  triggerId?: string;
}

/** A `block_actions` interactivity payload (form field `payload`), as Slack posts it. */
export function blockActionsBody(f: ClickFields): string {
  return stringify({ payload: JSON.stringify(blockActionsPayload(f)) });
}

/** The payload itself: what a Socket Mode `interactive` envelope carries. */
export function blockActionsPayload(f: ClickFields): Record<string, unknown> {
  const team = f.team ?? 'T1';
  const channel = f.channel ?? 'C1';
  const ts = f.messageTs ?? '1700000000.000100';
  return {
    type: 'block_actions',
    user: { id: f.user ?? 'U3', username: 'bob', name: 'bob', team_id: team },
    api_app_id: 'A1',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
    trigger_id: f.triggerId ?? `${Date.now()}.1.${randomBytes(8).toString('hex')}`,
    team: { id: team, domain: 'acme' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: 'ops' },
    message: { type: 'message', ts, text: 'card', blocks: [] },
    response_url: f.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: f.actionId,
        block_id: 'b1',
        text: { type: 'plain_text', text: 'Approve', emoji: true },
        value: f.value,
        action_ts: `${Math.floor(Date.now() / 1000)}.000200`,
      },
    ],
  };
}

/** An Events API `app_mention` callback (JSON body). */
export function appMentionBody(eventId: string, text: string, user = 'U2', channel = 'C1'): string {
  return JSON.stringify(appMentionPayload(eventId, text, user, channel));
}

/** The callback as an object: the payload of a Socket Mode `events_api` envelope. */
export function appMentionPayload(
  eventId: string,
  text: string,
  user = 'U2',
  channel = 'C1',
): Record<string, unknown> {
  return {
    token: 'deprecated-verification-token',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    event: {
      type: 'app_mention',
      user,
      text,
      ts: '1700000001.000100',
      channel,
      event_ts: '1700000001.000100',
      team: 'T1',
    },
  };
}
