import type { Redis } from 'ioredis';
import {
  ConversationRefStore,
  type StoredConversationRef,
} from '../../../adapters/store/conversation-refs.js';
import { newRedis, uniquePrefix } from '../../support/redis.js';

let redis: Redis;
beforeEach(() => {
  redis = newRedis();
});
afterEach(() => redis.disconnect());

const threadRef: StoredConversationRef = {
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  channelId: 'msteams',
  conversation: {
    id: '19:abc@thread.tacv2;messageid=1700',
    conversationType: 'channel',
    tenantId: 't1',
    isGroup: true,
  },
  bot: { id: '28:bot', name: 'dpbot' },
  user: { id: '29:alice', aadObjectId: '6f1c' },
  activityId: '1700',
  locale: 'en-US',
};

test('a ref seen in a thread is stored for its channel, without the user or activity it came from', async () => {
  const prefix = uniquePrefix('convref');
  const store = new ConversationRefStore(redis, { prefix });
  await store.save(threadRef);
  const expected = {
    serviceUrl: threadRef.serviceUrl,
    channelId: 'msteams',
    conversation: { ...threadRef.conversation, id: '19:abc@thread.tacv2' },
    bot: threadRef.bot,
    locale: 'en-US',
  };
  expect(await store.get('19:abc@thread.tacv2')).toEqual(expected);
  expect(await store.get('19:abc@thread.tacv2;messageid=999')).toEqual(expected);
  expect(await redis.keys(`${prefix}:*`)).toEqual([`${prefix}:teams:conversation-ref:19:abc@thread.tacv2`]);
});

test('a new store on the same Redis (a restart) finds it; an unknown conversation is undefined', async () => {
  const prefix = uniquePrefix('convref');
  await new ConversationRefStore(redis, { prefix }).save(threadRef);
  const other = newRedis();
  try {
    const store = new ConversationRefStore(other, { prefix });
    expect((await store.get('19:abc@thread.tacv2'))?.serviceUrl).toBe(threadRef.serviceUrl);
    expect(await store.get('19:nope@thread.tacv2')).toBeUndefined();
  } finally {
    other.disconnect();
  }
});
