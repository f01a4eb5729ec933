// The one adapter over node-quickbooks: promisified calls, endpoints from configuration, OAuth refresh with rotation.
import QuickBooks from "node-quickbooks";
import { invalidPayload, requestTimedOut } from "../errors";
import { openGate, type RequestGate } from "../gate";
import { SourceError } from "../source";
import { withDeadline } from "./deadline";
import { statusOf, tokenError, toSourceError } from "./errors";

/** How long one QuickBooks request (the token endpoint's too) may take before it is abandoned and retried later. */
export const defaultQuickbooksTimeoutMs = 30_000;

export interface QuickBooksTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
}

export interface QuickBooksClientConfig {
  clientId: string;
  clientSecret: string;
  realmId: string;
  refreshToken: string;
  accessToken?: string | null;
  /** The v3 company endpoint, e.g. https://quickbooks.api.intuit.com/v3/company/ */
  baseUrl: string;
  tokenUrl: string;
  minorVersion?: string;
  /**
   * Persists rotated tokens. Awaited before the new access token is used: a crash must not lose the refresh token.
   * Not needed with `tokenLock`, which stores them itself.
   */
  onTokens?: (tokens: QuickBooksTokens) => Promise<void>;
  /**
   * One refresh at a time across every process using this connection. QuickBooks rotates the refresh token, so two
   * processes refreshing with the same one leave one of them with invalid_grant, which reads as a revoked grant.
   * Runs `work` holding the stored tokens' lock and hands it the tokens stored now (newer than this client's when
   * another process refreshed first: the client adopts them instead of refreshing); the tokens `work` returns are
   * stored before the lock is released.
   */
  tokenLock?: TokenLock;
  /**
   * Tokens the provider already rotated to but an earlier `onTokens` failed to store: the refresh token in the store
   * is dead. They are stored first, before any call (and before any refresh, which the dead token would fail).
   */
  unsavedTokens?: QuickBooksTokens | null;
  /** Admits each company API request (500/min and 10 concurrent per realm); the OAuth token endpoint is not gated. */
  gate?: RequestGate;
  /**
   * Per request, from when it is sent (time waiting at the gate does not count). node-quickbooks sets none, so
   * without one a hung connection would hold the sync for ever. Default defaultQuickbooksTimeoutMs.
   */
  timeoutMs?: number;
}

/** The tokens a connection has stored. */
export interface StoredQuickBooksTokens {
  refreshToken: string;
  accessToken: string | null;
}

export type TokenLock = (work: (stored: StoredQuickBooksTokens) => Promise<QuickBooksTokens | null>) => Promise<void>;

export const qboEntities = ["Customer", "Invoice", "Payment"] as const;
export type QboEntity = (typeof qboEntities)[number];

export interface QueryPage {
  rows: unknown[];
  /** Server time of the answer (QueryResponse `time`), when present. */
  time: string | null;
}

export interface ChangeSet {
  byEntity: Record<QboEntity, unknown[]>;
  time: string | null;
}

type Callback = (err: unknown, data?: unknown) => void;
type Finder = (criteria: string, callback: Callback) => void;

function call<T>(invoke: (callback: Callback) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    invoke((err, data) => (err ? reject(err) : resolve(data as T)));
  });
}

const withSlash = (url: string): string => (url.endsWith("/") ? url : `${url}/`);

export interface QuickBooksClient {
  query(entity: QboEntity, startPosition: number, maxResults: number): Promise<QueryPage>;
  changeDataCapture(entities: readonly QboEntity[], since: Date): Promise<ChangeSet>;
}

export function createQuickBooksClient(config: QuickBooksClientConfig): QuickBooksClient {
  // node-quickbooks reads these statics: the endpoint when constructed, the token URL on every refresh.
  QuickBooks.V3_ENDPOINT_BASE_URL = withSlash(config.baseUrl);
  const qbo = new QuickBooks(
    config.clientId,
    config.clientSecret,
    config.accessToken ?? "",
    false,
    config.realmId,
    true, // "sandbox" keeps the configured URL verbatim (otherwise it strips "sandbox-" from it)
    false,
    config.minorVersion ?? null,
    "2.0",
    config.refreshToken,
  );
  qbo.endpoint = withSlash(config.baseUrl);
  const timeoutMs = config.timeoutMs ?? defaultQuickbooksTimeoutMs;
  let accessToken = config.accessToken ?? null;
  let refreshToken = config.refreshToken;
  /** The refresh token the store holds, as far as this client knows: a different one there means someone rotated. */
  let storedRefreshToken = config.refreshToken;
  /** Rotated tokens not stored yet: the provider knows only these, so they are held until they are stored. */
  let unsaved: QuickBooksTokens | null = config.unsavedTokens ?? null;
  if (unsaved) {
    refreshToken = unsaved.refreshToken;
    accessToken = null;
  }
  const { onTokens } = config;
  if (!config.tokenLock && !onTokens) throw new Error("createQuickBooksClient: needs onTokens or tokenLock");
  /** Without a lock: nothing to coordinate with, nothing stored to compare with; `onTokens` stores. */
  const lock: TokenLock =
    config.tokenLock ??
    (async (work) => {
      const tokens = await work({ refreshToken: storedRefreshToken, accessToken });
      if (tokens) await onTokens!(tokens);
    });

  /** One node-quickbooks call under the request deadline: a request it cuts off is a transient failure. */
  async function timed<T>(during: string, invoke: (callback: Callback) => void): Promise<T> {
    const outcome = await withDeadline(timeoutMs, () => call<T>(invoke));
    if (outcome.ok) return outcome.value;
    if (outcome.timedOut) throw requestTimedOut("quickbooks", `quickbooks: ${during}`, timeoutMs, outcome.error);
    throw outcome.error;
  }

  /** Asks the token endpoint for new tokens; the refresh token used stops working the moment it answers. */
  async function rotate(): Promise<QuickBooksTokens> {
    qbo.refreshToken = refreshToken;
    QuickBooks.TOKEN_URL = config.tokenUrl;
    let answer: { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown };
    try {
      answer = await timed("token refresh", (cb) => qbo.refreshAccessToken(cb));
    } catch (error) {
      throw tokenError(error);
    }
    // node-quickbooks already holds the new token; forget it until it is stored.
    qbo.token = "";
    if (typeof answer?.access_token !== "string" || typeof answer.refresh_token !== "string") {
      throw invalidPayload("quickbooks", "quickbooks: token refresh: answer lacks access_token/refresh_token");
    }
    const expiresIn = typeof answer.expires_in === "number" ? answer.expires_in : 3600;
    return {
      accessToken: answer.access_token,
      refreshToken: answer.refresh_token,
      expiresAt: new Date(Date.now() + expiresIn * 1000),
    };
  }

  /**
   * A new access token, under the lock: the stored tokens when another process refreshed first (or the source was
   * reconnected), the unsaved ones when storing them failed before, else a rotation. Tokens are used only once stored.
   */
  async function refresh(): Promise<void> {
    const refused = accessToken;
    accessToken = null;
    let minted: QuickBooksTokens | null = null;
    try {
      await lock(async (stored) => {
        minted = null;
        if (stored.refreshToken !== storedRefreshToken) {
          // Not the store this client started from: its tokens are the live ones, and anything unsaved is superseded.
          storedRefreshToken = refreshToken = stored.refreshToken;
          unsaved = null;
        }
        if (!unsaved && stored.accessToken !== null && stored.accessToken !== refused) {
          accessToken = stored.accessToken;
          return null;
        }
        minted = unsaved ?? (await rotate());
        refreshToken = minted.refreshToken;
        return minted;
      });
    } catch (cause) {
      if (!minted) throw cause;
      // Keep the new refresh token (the old one no longer works) and try storing it again before the next call.
      unsaved = minted;
      const error = new SourceError("quickbooks", "transient", "quickbooks: token refresh: rotated tokens not stored");
      error.cause = cause;
      throw error;
    }
    const stored = minted as QuickBooksTokens | null;
    if (stored) {
      unsaved = null;
      storedRefreshToken = stored.refreshToken;
      accessToken = stored.accessToken;
    }
    qbo.token = accessToken ?? "";
  }

  /**
   * One company API call through the gate. Failures other than a 401 (which `authorized` answers by refreshing) are
   * classified inside it, so the gate sees a 429 as a rate_limited SourceError.
   */
  const send = <T>(during: string, invoke: (callback: Callback) => void) =>
    (config.gate ?? openGate).run(() =>
      timed<T>(during, invoke).catch((error: unknown) => {
        throw statusOf(error) === 401 ? error : toSourceError(error, during);
      }),
    );

  /** Runs a call with a valid access token: refreshes first when there is none, and once more on a 401. */
  async function authorized<T>(during: string, invoke: (callback: Callback) => void): Promise<T> {
    if (accessToken === null) await refresh();
    try {
      return await send<T>(during, invoke);
    } catch (error) {
      if (statusOf(error) !== 401) throw toSourceError(error, during);
    }
    await refresh();
    try {
      return await send<T>(during, invoke);
    } catch (error) {
      throw toSourceError(error, during);
    }
  }

  const finders: Record<QboEntity, Finder> = {
    Customer: (criteria, cb) => qbo.findCustomers(criteria as never, cb as never),
    Invoice: (criteria, cb) => qbo.findInvoices(criteria as never, cb as never),
    Payment: (criteria, cb) => qbo.findPayments(criteria as never, cb as never),
  };

  return {
    async query(entity, startPosition, maxResults) {
      // QuickBooks leaves inactive ("deleted") customers out of a plain query; we want them flagged, not lost.
      const where = entity === "Customer" ? "where Active in (true, false) " : "";
      const criteria = `${where}startposition ${startPosition} maxresults ${maxResults}`;
      const data = await authorized<{ QueryResponse?: Record<string, unknown>; time?: string }>(
        `query ${entity}`,
        (cb) => finders[entity](criteria, cb),
      );
      if (!data?.QueryResponse || typeof data.QueryResponse !== "object") {
        throw invalidPayload("quickbooks", `quickbooks: query ${entity}: answer has no QueryResponse`);
      }
      const rows = data.QueryResponse[entity] ?? [];
      if (!Array.isArray(rows)) throw invalidPayload("quickbooks", `quickbooks: query ${entity}: rows are not a list`);
      return { rows, time: typeof data.time === "string" ? data.time : null };
    },

    async changeDataCapture(entities, since) {
      const data = await authorized<{
        CDCResponse?: Array<{ QueryResponse?: Array<Record<string, unknown>> }>;
        time?: string;
      }>("change data capture", (cb) => qbo.changeDataCapture([...entities], since.toISOString(), cb));
      if (!Array.isArray(data?.CDCResponse)) {
        throw invalidPayload("quickbooks", "quickbooks: change data capture: answer has no CDCResponse");
      }
      const byEntity: Record<QboEntity, unknown[]> = { Customer: [], Invoice: [], Payment: [] };
      for (const response of data.CDCResponse) {
        for (const part of response.QueryResponse ?? []) {
          for (const entity of qboEntities) {
            const rows = part[entity];
            if (Array.isArray(rows)) byEntity[entity].push(...rows);
          }
        }
      }
      return { byEntity, time: typeof data.time === "string" ? data.time : null };
    },
  };
}
