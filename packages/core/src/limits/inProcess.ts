// The embedded RequestLimiter: a rolling window and an in-flight count per (tenant, source), in this process's memory.
import { type LimitKey, type LimitTable, type Release, type RequestLimiter, sleep, sourceLimits } from "./limiter";

interface KeyState {
  /** Start times of the requests still inside the window, oldest first. */
  sent: number[];
  inFlight: number;
  /** Woken when a slot frees, so a waiter need not poll. */
  waiters: Array<() => void>;
}

export function createInProcessLimiter(
  options: {
    limits?: LimitTable;
    now?: () => number;
    /** Told each grant with the time the window counts it at (the bench checks the pace against the limit). */
    onGrant?: (key: LimitKey, at: number) => void;
  } = {},
): RequestLimiter {
  const limits = options.limits ?? sourceLimits;
  const now = options.now ?? Date.now;
  const states = new Map<string, KeyState>();

  const stateOf = (key: LimitKey): KeyState => {
    const id = `${key.tenantId}:${key.source}`;
    let state = states.get(id);
    if (!state) {
      state = { sent: [], inFlight: 0, waiters: [] };
      states.set(id, state);
    }
    return state;
  };

  /** Takes a slot now, or says how long to wait (null: wait for a release). */
  function tryTake(state: KeyState, key: LimitKey): { ok: true } | { ok: false; waitMs: number | null } {
    const limit = limits[key.source] ?? sourceLimits[key.source];
    const at = now();
    while (state.sent.length > 0 && state.sent[0]! <= at - limit.windowMs) state.sent.shift();
    if (state.inFlight >= limit.concurrency) return { ok: false, waitMs: null };
    if (state.sent.length >= limit.perWindow) return { ok: false, waitMs: state.sent[0]! + limit.windowMs - at };
    state.sent.push(at);
    state.inFlight += 1;
    options.onGrant?.(key, at);
    return { ok: true };
  }

  return {
    kind: "in-process",
    async acquire(key, signal) {
      const state = stateOf(key);
      for (;;) {
        signal?.throwIfAborted();
        const taken = tryTake(state, key);
        if (taken.ok) break;
        if (taken.waitMs !== null) await sleep(Math.max(1, taken.waitMs), signal);
        else await new Promise<void>((resolve) => state.waiters.push(resolve));
      }
      let released = false;
      const release: Release = async () => {
        if (released) return;
        released = true;
        state.inFlight -= 1;
        state.waiters.shift()?.();
      };
      return release;
    },
    async close() {
      for (const state of states.values()) for (const wake of state.waiters.splice(0)) wake();
    },
  };
}
