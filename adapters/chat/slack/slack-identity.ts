/** Slack identities (`slack:<team>/<user>`) and usergroup membership (`slack-group:<id>`), cached briefly. */
import type { Identity } from '../../../bot/chat-port.js';
import type { SlackLogger } from './slack-options.js';

export interface GroupMembersSource {
  groupMembers(usergroup: string): Promise<string[]>;
}

export class SlackIdentityResolver {
  /** usergroup → members, with the time they were fetched; a promise so concurrent lookups share one call. */
  private readonly cache = new Map<string, { at: number; members: Promise<Set<string>> }>();

  constructor(
    private readonly source: GroupMembersSource,
    private readonly groupIds: string[],
    private readonly ttlMs: number,
    private readonly logger: SlackLogger,
    private readonly now: () => number = Date.now,
  ) {}

  async identify(team: string, user: string, displayName?: string): Promise<Identity> {
    const groups: string[] = [];
    for (const id of this.groupIds) {
      if ((await this.members(id)).has(user)) groups.push(`slack-group:${id}`);
    }
    return { id: `slack:${team}/${user}`, groups, ...(displayName ? { displayName } : {}) };
  }

  /** A failed lookup counts as "not a member" (denies, never grants) and is not cached. */
  private members(group: string): Promise<Set<string>> {
    const hit = this.cache.get(group);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.members;
    const members = this.source.groupMembers(group).then(
      (users) => new Set(users),
      (err: unknown) => {
        this.cache.delete(group);
        this.logger.warn({ err, usergroup: group }, 'cannot resolve Slack usergroup; treating as no members');
        return new Set<string>();
      },
    );
    this.cache.set(group, { at: this.now(), members });
    return members;
  }
}
