// The admission a connector asks for before each HTTP request to its provider (a rate window and a concurrency cap).

/**
 * Wraps one provider request: waits until it may be sent, runs it, then frees its slot. The job layer owns retries;
 * a gate only delays, it never repeats a request. Connectors built without one send at once (tests, one-off tools).
 */
export interface RequestGate {
  run<T>(request: () => Promise<T>): Promise<T>;
}

/** The gate of a connector built without a limiter. */
export const openGate: RequestGate = { run: (request) => request() };
