/** A minimal typed event emitter: listeners of one event never see another's payload type. */
export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(event: never) => void>>();

  on<K extends keyof Events>(event: K, listener: (e: Events[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (event: never) => void);
    return () => {
      set.delete(listener as (event: never) => void);
    };
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (e: Events[K]) => void)(payload);
      } catch (error) {
        // A throwing listener must not break the connection logic; report it the way the platform does.
        const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
        if (report) report(error);
        else console.error(error);
      }
    }
  }
}
