// Switches tests flip to make the Slack Web API misbehave, and the log of the calls it served.

export type SlackFault =
  | { kind: "rate_limit"; retryAfterSeconds: number }
  | { kind: "failure"; status: number }
  | { kind: "error"; error: string }
  | { kind: "delay"; delayMs: number };

export interface SlackApiRequest {
  /** The Web API method ("chat.postMessage"), or "response_url". */
  method: string;
  /** HTTP status answered. */
  status: number;
  /** Slack's `ok` / `error` from the body (Slack answers most errors with a 200). */
  ok: boolean | null;
  error: string | null;
  at: Date;
}

export interface SlackFaults {
  /** The next `count` Web API calls (of `method` only, when given) answer 429 with `Retry-After` and
   * `{ ok: false, error: "ratelimited" }`, as Slack's rate limiter does. */
  rateLimitNext(count?: number, retryAfterSeconds?: number, method?: string): void;
  /** The next `count` calls fail with HTTP `status` (default 500), as when Slack itself is down. */
  failNext(count?: number, status?: number, method?: string): void;
  /** The next `count` calls answer HTTP 200 `{ ok: false, error }` (e.g. "fatal_error", "channel_not_found"). */
  errorNext(error: string, count?: number, method?: string): void;
  /** The next `count` calls are held `delayMs` before their normal answer. */
  delayNext(count?: number, delayMs?: number, method?: string): void;
  /** The bot token stops working: every call answers `token_revoked` (until reset). */
  revokeToken(): void;
  /** Web API calls and response_url posts served, oldest first, optionally of one method. */
  requests(method?: string): readonly SlackApiRequest[];
  /** Clears pending faults, a revoked token and the request log. */
  reset(): void;
}

export interface SlackFaultState extends SlackFaults {
  take(method: string): SlackFault | null;
  readonly tokenRevoked: boolean;
  log(entry: SlackApiRequest): void;
}

export function createSlackFaults(): SlackFaultState {
  let pending: Array<{ method: string | null; fault: SlackFault }> = [];
  let log: SlackApiRequest[] = [];
  let revoked = false;
  const queue = (count: number, fault: SlackFault, method: string | undefined) => {
    if (!Number.isInteger(count) || count < 0) throw new Error(`count must be a whole number, got ${count}`);
    for (let i = 0; i < count; i++) pending.push({ method: method ?? null, fault });
  };
  return {
    rateLimitNext: (count = 1, retryAfterSeconds = 1, method) =>
      queue(count, { kind: "rate_limit", retryAfterSeconds }, method),
    failNext: (count = 1, status = 500, method) => queue(count, { kind: "failure", status }, method),
    errorNext: (error, count = 1, method) => queue(count, { kind: "error", error }, method),
    delayNext: (count = 1, delayMs = 60_000, method) => queue(count, { kind: "delay", delayMs }, method),
    revokeToken: () => {
      revoked = true;
    },
    get tokenRevoked() {
      return revoked;
    },
    requests: (method) => (method ? log.filter((entry) => entry.method === method) : [...log]),
    reset: () => {
      pending = [];
      log = [];
      revoked = false;
    },
    take: (method) => {
      const index = pending.findIndex((entry) => entry.method === null || entry.method === method);
      if (index === -1) return null;
      return pending.splice(index, 1)[0]!.fault;
    },
    log: (entry) => {
      log.push(entry);
    },
  };
}
