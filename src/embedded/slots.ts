/** A counting semaphore: at most `size` holders; waiting stops early when a signal aborts. */
export class Slots {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(size: number) {
    this.#free = Math.max(1, size);
  }

  /**
   * Resolves with a release function once a slot is free, or at once when `signal` is aborted
   * (then the release does nothing), so aborted work can still record its end.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.#free > 0) {
      this.#free -= 1;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', abandon);
        resolve(this.#releaser());
      };
      const abandon = (): void => {
        const position = this.#waiting.indexOf(grant);
        if (position >= 0) this.#waiting.splice(position, 1);
        resolve(() => {});
      };
      if (signal?.aborted) return abandon();
      signal?.addEventListener('abort', abandon, { once: true });
      this.#waiting.push(grant);
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next === undefined) this.#free += 1;
      else next();
    };
  }
}
