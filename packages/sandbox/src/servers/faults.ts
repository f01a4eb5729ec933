// Switches tests flip to make a source misbehave (rate limits, failures), and the log of requests each source served.
export const sandboxSources = ["stripe", "quickbooks", "amplitude"] as const;
export type SandboxSource = (typeof sandboxSources)[number];

export interface SandboxRequest {
  source: SandboxSource;
  method: string;
  /** Path and query string as received. */
  url: string;
  status: number;
  at: Date;
}

/** How a malformed answer is broken: not JSON at all, the real answer cut mid-way, or well-formed but the wrong shape. */
export type MalformedBody = "broken_json" | "truncated" | "wrong_shape";

export type InjectedFault =
  | { kind: "rate_limit"; retryAfterSeconds: number | null }
  | { kind: "failure"; status: number }
  | { kind: "delay"; delayMs: number }
  | { kind: "malformed"; body: MalformedBody };

export interface SandboxFaults {
  /** The next `count` requests to `source` get the provider's 429 answer. QuickBooks and Amplitude send Retry-After
   * (`retryAfterSeconds`, default 1); Stripe never sends Retry-After, as the real API does not. */
  rateLimitNext(source: SandboxSource, count?: number, retryAfterSeconds?: number): void;
  /** The next `count` requests to `source` fail with `status` (default 500) and the provider's error body. */
  failNext(source: SandboxSource, count?: number, status?: number): void;
  /** Lets the next `okCount` requests to `source` through, then fails `count` with `status`: a sync that dies part-way. */
  failAfter(source: SandboxSource, okCount: number, count?: number, status?: number): void;
  /** The next `count` requests to `source` are held `delayMs` (default 60 s) before their normal answer: a slow or hung
   * provider, and a timeout for a client that waits less. */
  delayNext(source: SandboxSource, count?: number, delayMs?: number): void;
  /** The next `count` requests to `source` get a 200 with a broken body (see MalformedBody; default broken_json). */
  malformNext(source: SandboxSource, count?: number, body?: MalformedBody): void;
  /** Lets the next `okCount` requests to `source` through untouched, so a fault queued after them lands mid-sync. */
  letThrough(source: SandboxSource, okCount: number): void;
  /** QuickBooks: every access token issued so far stops working (as after its hour), refresh tokens stay valid. */
  expireQuickbooksAccessTokens(): void;
  /** QuickBooks: the company disconnects the app: access tokens stop working and refreshing answers invalid_grant. */
  revokeQuickbooksGrant(): void;
  /**
   * QuickBooks: the company connects the app again (an admin's new OAuth consent): a new grant, whose refresh token is
   * returned for the connection; earlier refresh tokens stay dead.
   */
  grantQuickbooksAgain(): string;
  /** Requests served, oldest first, optionally for one source. */
  requests(source?: SandboxSource): readonly SandboxRequest[];
  requestCount(source: SandboxSource): number;
  /** Clears pending faults and the request log. */
  reset(): void;
}

export interface FaultState extends SandboxFaults {
  /** Takes the next pending fault for a source, if any (called once per request). */
  take(source: SandboxSource): InjectedFault | null;
  log(entry: SandboxRequest): void;
  onExpireAccessTokens(listener: () => void): void;
  onRevokeGrant(listener: () => void): void;
  /** The QuickBooks fake answers a new grant with its refresh token. */
  onGrantAgain(listener: () => string): void;
}

export function createFaults(): FaultState {
  // null entries are requests let through untouched (failAfter).
  const pending = new Map<SandboxSource, Array<InjectedFault | null>>(sandboxSources.map((source) => [source, []]));
  let log: SandboxRequest[] = [];
  const expireListeners: Array<() => void> = [];
  const revokeListeners: Array<() => void> = [];
  let grantAgain: (() => string) | null = null;
  const queue = (source: SandboxSource, count: number, fault: InjectedFault | null) => {
    if (!Number.isInteger(count) || count < 0) throw new Error(`count must be a whole number, got ${count}`);
    for (let i = 0; i < count; i++) pending.get(source)!.push(fault);
  };
  return {
    rateLimitNext: (source, count = 1, retryAfterSeconds = 1) =>
      queue(source, count, { kind: "rate_limit", retryAfterSeconds }),
    failNext: (source, count = 1, status = 500) => queue(source, count, { kind: "failure", status }),
    failAfter: (source, okCount, count = 1, status = 500) => {
      queue(source, okCount, null);
      queue(source, count, { kind: "failure", status });
    },
    delayNext: (source, count = 1, delayMs = 60_000) => queue(source, count, { kind: "delay", delayMs }),
    malformNext: (source, count = 1, body = "broken_json") => queue(source, count, { kind: "malformed", body }),
    letThrough: (source, okCount) => queue(source, okCount, null),
    expireQuickbooksAccessTokens: () => {
      for (const listener of expireListeners) listener();
    },
    revokeQuickbooksGrant: () => {
      for (const listener of revokeListeners) listener();
    },
    grantQuickbooksAgain: () => {
      if (!grantAgain) throw new Error("sandbox: no QuickBooks server to grant access again");
      return grantAgain();
    },
    requests: (source) => (source ? log.filter((entry) => entry.source === source) : [...log]),
    requestCount: (source) => log.filter((entry) => entry.source === source).length,
    reset: () => {
      for (const list of pending.values()) list.length = 0;
      log = [];
    },
    take: (source) => pending.get(source)!.shift() ?? null,
    log: (entry) => {
      log.push(entry);
    },
    onExpireAccessTokens: (listener) => {
      expireListeners.push(listener);
    },
    onRevokeGrant: (listener) => {
      revokeListeners.push(listener);
    },
    onGrantAgain: (listener) => {
      grantAgain = listener;
    },
  };
}
