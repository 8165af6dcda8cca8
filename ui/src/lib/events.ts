// A tiny typed event bus between features, so one feature reacts to another without either
// importing the other's store or bumping counters across them: the exchange feature emits
// "sent", history listens.

export interface AppEvents {
  /** A request went out through `send` and ended (answered, failed or cancelled); history recorded it. */
  sent: { tabKey: string };
}

type Listener<K extends keyof AppEvents> = (payload: AppEvents[K]) => void;

const listeners = new Map<keyof AppEvents, Set<(payload: never) => void>>();

/** Calls `fn` on every `name` event until the returned function is called. */
export function on<K extends keyof AppEvents>(name: K, fn: Listener<K>): () => void {
  let set = listeners.get(name);
  if (!set) listeners.set(name, (set = new Set()));
  set.add(fn);
  return () => void set.delete(fn);
}

export function emit<K extends keyof AppEvents>(name: K, payload: AppEvents[K]): void {
  for (const fn of [...(listeners.get(name) ?? [])]) (fn as Listener<K>)(payload);
}
