// Deadlines for node-quickbooks requests. It sends through axios' shared default instance with no timeout and no way to
// pass one, so each of our calls runs in a scope, and an interceptor puts the scope's deadline on the requests it makes.
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";

/** The part of an axios request config the interceptor touches. */
interface RequestConfig {
  signal?: unknown;
}

interface InterceptableAxios {
  interceptors: { request: { use(onFulfilled: (config: RequestConfig) => RequestConfig): number } };
}

interface Deadline {
  timeoutMs: number;
  /** The signals handed to the requests made in this scope: one aborted means the deadline cut a request off. */
  signals: AbortSignal[];
}

const scope = new AsyncLocalStorage<Deadline>();
let installed = false;

/**
 * Installs the interceptor once per process, on the axios copy node-quickbooks itself loads (resolved from its own
 * folder: importing axios here could load another copy). Requests made outside a scope pass untouched.
 */
function install(): void {
  if (installed) return;
  const require = createRequire(import.meta.url);
  const axios = createRequire(require.resolve("node-quickbooks"))("axios") as InterceptableAxios;
  axios.interceptors.request.use((config) => {
    const deadline = scope.getStore();
    if (deadline && config.signal === undefined) {
      const signal = AbortSignal.timeout(deadline.timeoutMs);
      deadline.signals.push(signal);
      config.signal = signal;
    }
    return config;
  });
  installed = true;
}

/** What a call under a deadline came to: its value, or its failure and whether the deadline caused it. */
export type DeadlineOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown; timedOut: boolean };

/**
 * Runs `request` so that every HTTP request node-quickbooks makes inside it is aborted after `timeoutMs` (a total
 * deadline from when the request is sent, not an idle timer: a provider dripping bytes is cut off too).
 */
export async function withDeadline<T>(timeoutMs: number, request: () => Promise<T>): Promise<DeadlineOutcome<T>> {
  install();
  const deadline: Deadline = { timeoutMs, signals: [] };
  try {
    return { ok: true, value: await scope.run(deadline, request) };
  } catch (error) {
    return { ok: false, error, timedOut: deadline.signals.some((signal) => signal.aborted) };
  }
}
