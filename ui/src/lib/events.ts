// A tiny typed event bus between features, so one feature reacts to another without either
// importing the other's store or bumping counters across them: the exchange feature emits
// "sent" (history reloads, variables look again), the collections tree "itemMoved" and
// "itemDeleted" (tabs follow), the tabs "tabClosed" and "tabSettled" (drafts and exchanges go).

export interface AppEvents {
  /** A request went out through `send` and ended (answered, failed or cancelled); history recorded it. */
  sent: { tabKey: string; /** captures ran (in a collection context): variables may have changed */ captured: boolean };
  /** A tree item (and everything under it) moved or was renamed from `from` to `to`. */
  itemMoved: { from: string; to: string };
  /** A tree item (and everything under it) went to the trash. */
  itemDeleted: { path: string };
  /** A tab closed. */
  tabClosed: { key: string };
  /** A tab's content is its file's again (saved, reloaded): its draft is obsolete. */
  tabSettled: { key: string };
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
