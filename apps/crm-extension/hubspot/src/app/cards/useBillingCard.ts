// The card's data: reads the record's hints, loads the CrmCard, runs the actions and reloads after each one succeeds.
import { useExtensionActions, useExtensionContext } from "@hubspot/ui-extensions";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { type ApiResult, createReckonClient, type HubSpotFetch, type ReckonClient } from "./api/reckonClient";
import type { ActionAnswer, CrmCard, FlagRequest, RecordHints } from "./api/types";
import { API_BASE_URL } from "./config";
import { createFormatters, type Formatters } from "./format/formatters";

/** The company properties sent as hints: `name`, `domain` and the explicit link `quickbooks_customer_id`. */
export const HINT_PROPERTIES = ["name", "domain", "quickbooks_customer_id"];

export type CardView = { status: "loading" } | { status: "error"; detail: string } | { status: "ready"; card: CrmCard };

export interface Notice {
  variant: "success" | "danger";
  message: string;
}

export interface BillingCardModel {
  view: CardView;
  /** The answer to the last action: the API's message, or its problem detail. */
  notice: Notice | null;
  /** An action is on its way: its buttons wait. */
  busy: boolean;
  format: Formatters;
  reload(): Promise<void>;
  retryPayment(paymentId: string): Promise<boolean>;
  raiseFlag(flag: FlagRequest): Promise<boolean>;
  linkAccount(accountId: string): Promise<boolean>;
}

export function useBillingCard(fetchReckon: HubSpotFetch): BillingCardModel {
  const context = useExtensionContext<"crm.record.tab">();
  const actions = useExtensionActions<"crm.record.tab">();
  // The host may hand out new action objects on each render; loading must not restart because of that.
  const actionsRef = useRef(actions);
  actionsRef.current = actions;

  const recordId = String(context.crm.objectId);
  const client = useMemo(
    () => createReckonClient({ fetch: fetchReckon, baseUrl: API_BASE_URL, recordId }),
    [fetchReckon, recordId],
  );
  const format = useMemo(
    () => createFormatters({ locale: context.user.locale, timeZone: context.portal.timezone }),
    [context.user.locale, context.portal.timezone],
  );

  const [view, setView] = useState<CardView>({ status: "loading" });
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const latestLoad = useRef(0);

  const reload = useCallback(async () => {
    const load = ++latestLoad.current;
    const hints = await readHints(actionsRef.current.fetchCrmObjectProperties);
    const result = await client.getCard(hints);
    if (load !== latestLoad.current) return; // a newer load is on its way: its answer wins
    setView(result.ok ? { status: "ready", card: result.value } : { status: "error", detail: result.detail });
  }, [client]);

  useEffect(() => {
    setView({ status: "loading" });
    void reload();
  }, [reload]);

  const run = useCallback(
    async (action: (reckon: ReckonClient) => Promise<ApiResult<ActionAnswer>>): Promise<boolean> => {
      setBusy(true);
      setNotice(null);
      const result = await action(client);
      if (!result.ok) {
        setNotice({ variant: "danger", message: result.detail });
        setBusy(false);
        return false;
      }
      setNotice({ variant: "success", message: result.value.message });
      await reload();
      setBusy(false);
      return true;
    },
    [client, reload],
  );

  return {
    view,
    notice,
    busy,
    format,
    reload,
    retryPayment: (paymentId) => run((reckon) => reckon.requestPaymentRetry(paymentId)),
    raiseFlag: (flag) => run((reckon) => reckon.raiseFlag(flag)),
    linkAccount: (accountId) => run((reckon) => reckon.linkAccount(accountId)),
  };
}

/** The hints are optional: a record whose properties cannot be read is still shown, only without suggestions. */
async function readHints(fetchProperties: (names: string[]) => Promise<Record<string, string>>): Promise<RecordHints> {
  try {
    const properties = await fetchProperties(HINT_PROPERTIES);
    return {
      name: properties.name,
      domain: properties.domain,
      quickbooksCustomerId: properties.quickbooks_customer_id,
    };
  } catch {
    return {};
  }
}
