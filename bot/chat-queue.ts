/**
 * Runs tasks of one chat in arrival order and tasks of different chats concurrently, so a
 * user's second tap waits for the first and one slow chat never holds up another.
 */
export class ChatQueue {
  private readonly tails = new Map<number, Promise<void>>();

  run(chatId: number, task: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(chatId) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(chatId, tail);
    void tail.then(() => {
      if (this.tails.get(chatId) === tail) this.tails.delete(chatId);
    });
    return next;
  }

  /** Resolves when every queued task has finished. */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }
}
