/** Every Redis key dpbot writes starts with the configured prefix (use `{dpbot}` on Redis Cluster). */
export class Keys {
  constructor(readonly prefix: string) {}
  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }
}
