/**
 * Work that can wait behind acknowledgements (answering a slash command after its empty 200).
 *
 * Node accepts one new connection per event-loop turn (libuv ≥ 1.45, libuv/libuv#3696), so under a burst
 * of new connections every turn spent answering delays the next delivery's accept, and so its ack: 50
 * connections behind turns of 10–30 ms of answers waited up to ~600 ms. Deferred work therefore starts one
 * piece per turn, and only once a whole turn has passed with no new connection or request and none came
 * in the last `quietMs` (a connection still in the listen backlog is accepted in the next turn, so a turn
 * without one means the backlog is empty; the time bound covers a loop spinning faster than clients
 * connect), or when the piece has waited `maxWaitMs` (a steady stream must not starve the answers).
 * While pieces wait, the loop checks once per turn (setImmediate) instead of sleeping in its poll: a short
 * spin, over once the deliveries stop or the oldest piece has waited `maxWaitMs`.
 */
export class AfterAcks {
  private lastArrival = Number.NEGATIVE_INFINITY;
  /** An arrival since the previous check, i.e. during the turn that just ran. */
  private arrivedThisTurn = false;
  private readonly waiting: Array<{ resolve: () => void; since: number }> = [];
  private scheduled = false;

  constructor(
    private readonly quietMs = 1,
    private readonly maxWaitMs = 250,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A connection was accepted or a request arrived. */
  arrived(): void {
    this.lastArrival = this.now();
    this.arrivedThisTurn = true;
  }

  /** Resolves on a later turn, in arrival order, at most one waiter per turn. */
  turn(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push({ resolve, since: this.now() });
      this.schedule();
    });
  }

  /** Waiters not yet released. */
  get pending(): number {
    return this.waiting.length;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.drain);
  }

  private readonly drain = (): void => {
    this.scheduled = false;
    const head = this.waiting[0];
    if (!head) return;
    const now = this.now();
    const quiet = !this.arrivedThisTurn && now - this.lastArrival >= this.quietMs;
    this.arrivedThisTurn = false;
    if (quiet || now - head.since >= this.maxWaitMs) {
      this.waiting.shift();
      head.resolve();
    }
    if (this.waiting.length > 0) this.schedule();
  };
}
