// Fault switches and records shared by the HubSpot and Salesforce fakes: what tests flip to make a CRM misbehave,
// and what each CRM received (every request, every record write), for tests to count.

export type CrmSandboxProvider = "hubspot" | "salesforce";

export type CrmFault =
  | { kind: "rate_limit"; retryAfterSeconds: number | null }
  | { kind: "failure"; status: number }
  | { kind: "delay"; delayMs: number };

export interface CrmApiRequest {
  method: string;
  /** Path and query string as received. */
  url: string;
  status: number;
  at: Date;
}

/** One record of one write request, as the CRM judged it. */
export interface CrmRecordWrite {
  recordId: string;
  /** The fields as the request named them. */
  fields: Record<string, unknown>;
  /** Applied to the record, or refused (with the CRM's error code). */
  applied: boolean;
  error: string | null;
}

export interface CrmWriteRequest {
  at: Date;
  status: number;
  /** Empty when the whole request was refused before any record was looked at (auth, limits, validation). */
  records: CrmRecordWrite[];
}

export interface CrmFaults {
  /**
   * The next `count` API requests are refused as the CRM refuses a caller over its limit: HubSpot answers 429 with its
   * TEN_SECONDLY_ROLLING body and `Retry-After` (default 1 s); Salesforce, which has no 429, answers 403
   * REQUEST_LIMIT_EXCEEDED for its concurrent-request limit (no Retry-After, as the real API sends none).
   */
  rateLimitNext(count?: number, retryAfterSeconds?: number | null): void;
  /** The next `count` API requests fail with `status` (default 500) and the CRM's error body. */
  failNext(count?: number, status?: number): void;
  /** The next `count` API requests are held `delayMs` (default 60 s) before their normal answer. */
  delayNext(count?: number, delayMs?: number): void;
  /** Every access token issued so far stops working (as after its lifetime); the client may authenticate again. */
  expireTokens(): void;
  /** The CRM revokes Reckon's access: tokens stop working and no new one is issued (until `reset`). */
  revokeAccess(): void;
  /** The daily API allowance is used up: HubSpot answers 429 policy DAILY, Salesforce 403 REQUEST_LIMIT_EXCEEDED. */
  exhaustDailyLimit(): void;
  /** API requests served (token requests included), oldest first. */
  requests(): readonly CrmApiRequest[];
  /** Clears pending faults, a revocation, an exhausted daily limit and the request log (not the write records). */
  reset(): void;
}

export interface CrmWriteRecords {
  /** Every write request received, oldest first. */
  requests(): readonly CrmWriteRequest[];
  /** How many times a write reached the record (refused writes do not count). */
  timesWritten(recordId: string): number;
  /** The field sets that reached the record, oldest first. */
  writesTo(recordId: string): Array<Record<string, unknown>>;
  clear(): void;
}

export interface CrmControl {
  faults: CrmFaults;
  writes: CrmWriteRecords;
  /** Takes the next pending fault (called once per API request). */
  take(): CrmFault | null;
  readonly revoked: boolean;
  readonly dailyLimitExhausted: boolean;
  log(entry: CrmApiRequest): void;
  recordWrite(entry: CrmWriteRequest): void;
  onExpireTokens(listener: () => void): void;
  /** Told when `faults.reset()` runs, so a fake can hand its access back. */
  onReset(listener: () => void): void;
}

export function createCrmControl(): CrmControl {
  let pending: CrmFault[] = [];
  let log: CrmApiRequest[] = [];
  let writeLog: CrmWriteRequest[] = [];
  let revoked = false;
  let exhausted = false;
  const expireListeners: Array<() => void> = [];
  const resetListeners: Array<() => void> = [];
  const queue = (count: number, fault: CrmFault) => {
    if (!Number.isInteger(count) || count < 0) throw new Error(`count must be a whole number, got ${count}`);
    for (let i = 0; i < count; i++) pending.push(fault);
  };
  const expire = () => {
    for (const listener of expireListeners) listener();
  };
  const applied = (recordId: string) =>
    writeLog.flatMap((request) => request.records.filter((r) => r.applied && r.recordId === recordId));
  return {
    faults: {
      rateLimitNext: (count = 1, retryAfterSeconds = 1) => queue(count, { kind: "rate_limit", retryAfterSeconds }),
      failNext: (count = 1, status = 500) => queue(count, { kind: "failure", status }),
      delayNext: (count = 1, delayMs = 60_000) => queue(count, { kind: "delay", delayMs }),
      expireTokens: expire,
      revokeAccess: () => {
        revoked = true;
        expire();
      },
      exhaustDailyLimit: () => {
        exhausted = true;
      },
      requests: () => [...log],
      reset: () => {
        pending = [];
        log = [];
        revoked = false;
        exhausted = false;
        for (const listener of resetListeners) listener();
      },
    },
    writes: {
      requests: () => [...writeLog],
      timesWritten: (recordId) => applied(recordId).length,
      writesTo: (recordId) => applied(recordId).map((r) => r.fields),
      clear: () => {
        writeLog = [];
      },
    },
    take: () => pending.shift() ?? null,
    get revoked() {
      return revoked;
    },
    get dailyLimitExhausted() {
      return exhausted;
    },
    log: (entry) => {
      log.push(entry);
    },
    recordWrite: (entry) => {
      writeLog.push(entry);
    },
    onExpireTokens: (listener) => {
      expireListeners.push(listener);
    },
    onReset: (listener) => {
      resetListeners.push(listener);
    },
  };
}
