/**
 * A wake-up call for long polls. Waiters sleep until the next `emit()`, their deadline, an abort
 * or `close()`, so an idle long poll costs one timer and never spins.
 */
export class Signal {
  private readonly listeners = new Set<() => void>();
  private closed = false;

  /** Calls `listener` on every emit until the returned function is called. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Wakes every waiter for good: later waits return at once. */
  close(): void {
    this.closed = true;
    this.emit();
  }

  /**
   * Resolves with `read()`'s first defined value, re-reading after each emit, or with
   * `undefined` once `timeoutMs` passes, `abort` fires or the signal closes. Never rejects.
   */
  async until<T>(read: () => T | undefined, timeoutMs: number, abort?: AbortSignal) {
    const deadline = Date.now() + timeoutMs;

    for (;;) {
      const value = read();
      const remaining = deadline - Date.now();
      if (value !== undefined || remaining <= 0 || this.closed || abort?.aborted) return value;
      await this.next(remaining, abort);
    }
  }

  private next(timeoutMs: number, abort?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        unsubscribe();
        abort?.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      const unsubscribe = this.subscribe(wake);
      abort?.addEventListener('abort', wake, { once: true });
    });
  }
}
