/** Older nightly backups for the demo's `/dp chart <cluster>`: a month of varying durations, one partial. */
import { backup, isoAgo } from '../test/fakes/kube-api/builders.js';
import type { FakeKubeApi } from '../test/fakes/kube-api/fake-kube-api.js';

const DAY_MIN = 24 * 60;

/** Nightly backups from `fromDay` to 28 days back (the newest ones are the scenario's own). */
export function olderBackups(
  world: { kube: FakeKubeApi; now: number },
  cluster: string,
  newestAgeMin: number,
  fromDay = 3,
) {
  const c = world.kube.cluster(cluster);
  for (let day = fromDay; day <= 28; day++) {
    const age = newestAgeMin + day * DAY_MIN;
    if (age > 29 * DAY_MIN) break;
    const minutes = 6 + ((day * 7) % 19) + (day % 6 === 0 ? 14 : 0);
    const at = new Date(world.now - age * 60_000)
      .toISOString()
      .replace(/\.\d+Z$/, 'Z')
      .replace(/[-:TZ]/g, '')
      .slice(0, 14);
    c.put(
      backup(`nightly-${at}`, {
        schedule: 'nightly',
        ageMinutes: age,
        phase: day === 9 ? 'PartiallyFailed' : 'Completed',
        status: {
          startTimestamp: isoAgo(age + minutes, world.now),
          completionTimestamp: isoAgo(age, world.now),
          ...(day === 9 ? { errors: 2 } : {}),
        },
      }),
    );
  }
}
