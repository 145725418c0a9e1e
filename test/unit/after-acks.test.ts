import { AfterAcks } from '../../adapters/http/after-acks.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A clock the test moves by hand, so "quiet" and "waited too long" do not depend on the machine's speed. */
function clocked(quietMs: number, maxWaitMs: number) {
  const clock = { now: 1000 };
  return { clock, acks: new AfterAcks(quietMs, maxWaitMs, () => clock.now) };
}

describe('AfterAcks: answers wait behind deliveries still arriving', () => {
  it('lets one waiter go per event-loop turn, in the order they came', async () => {
    const { acks } = clocked(1, 50);
    const started: number[] = [];
    for (const i of [0, 1, 2]) void acks.turn().then(() => started.push(i));
    expect(started).toEqual([]); // never in the caller's own turn
    const seen: number[] = [];
    for (let turn = 0; turn < 6; turn++) {
      await nextTurn();
      seen.push(started.length);
    }
    // One more each turn, never two at once.
    expect(seen.every((n, i) => n - (seen[i - 1] ?? 0) <= 1)).toBe(true);
    expect(started).toEqual([0, 1, 2]);
    expect(acks.pending).toBe(0);
  });

  it('holds every waiter while connections keep arriving, then releases them once a turn is quiet', async () => {
    const { clock, acks } = clocked(1, 50);
    const started: number[] = [];
    for (const i of [0, 1]) void acks.turn().then(() => started.push(i));
    for (let turn = 0; turn < 10; turn++) {
      clock.now += 0.5;
      acks.arrived(); // a new connection in every turn, as a burst is accepted one per turn
      await nextTurn();
    }
    expect(started).toEqual([]);
    clock.now += 1; // a turn with no arrival
    for (let turn = 0; turn < 4; turn++) await nextTurn();
    expect(started).toEqual([0, 1]);
  });

  it('does not take a slow turn for a quiet one: a connection accepted in it means more may be queued', async () => {
    const { clock, acks } = clocked(1, 500);
    let started = false;
    void acks.turn().then(() => {
      started = true;
    });
    for (let turn = 0; turn < 5; turn++) {
      acks.arrived();
      clock.now += 20; // the turn that accepted it then spent 20 ms on other work
      await nextTurn();
    }
    expect(started).toBe(false);
    await nextTurn(); // a turn with no arrival at all
    await nextTurn();
    expect(started).toBe(true);
  });

  it('does not starve: a waiter held for maxWaitMs goes even while deliveries keep coming', async () => {
    const { clock, acks } = clocked(1, 50);
    let started = false;
    void acks.turn().then(() => {
      started = true;
    });
    for (let t = 0; t < 49; t++) {
      clock.now += 1;
      acks.arrived();
      await nextTurn();
    }
    expect(started).toBe(false);
    clock.now += 1; // 50 ms since it asked
    acks.arrived();
    await nextTurn();
    await nextTurn();
    expect(started).toBe(true);
  });
});
