// The Reckon billing card on Account record pages: one of loading, error, unlinked or the linked account's data.
// Data comes only through the ReckonCardController Apex class (Named Credential "Reckon"); the API owns every rule,
// the card only renders and asks. After an action succeeds the card says so in a toast and reloads.

import flagIssue from "@salesforce/apex/ReckonCardController.flagIssue";
import getCard from "@salesforce/apex/ReckonCardController.getCard";
import linkAccount from "@salesforce/apex/ReckonCardController.linkAccount";
import retryPayment from "@salesforce/apex/ReckonCardController.retryPayment";
import locale from "@salesforce/i18n/locale";
import timeZone from "@salesforce/i18n/timeZone";
import { ShowToastEvent } from "lightning/platformShowToastEvent";
import { api, LightningElement } from "lwc";
import { checkFlag, linkedView, parseAnswer, parseCard, unlinkedView } from "./cardView";
import { createFormatters, errorDetail, UNAVAILABLE } from "./format";

const EMPTY_FLAG = { reason: "", note: "", amount: "" };

export default class ReckonAccountCard extends LightningElement {
  @api recordId;

  /** "loading" | "error" | "ready" */
  status = "loading";
  loadError = "";
  card = null;
  view = null;
  /** An action is on its way: its buttons wait. */
  busy = false;

  flagFormOpen = false;
  flag = { ...EMPTY_FLAG };
  flagErrors = {};

  format = createFormatters({ locale, timeZone });
  latestLoad = 0;

  connectedCallback() {
    this.load();
  }

  get isLoading() {
    return this.status === "loading";
  }

  get isError() {
    return this.status === "error";
  }

  get isUnlinked() {
    return this.status === "ready" && this.card?.state === "unlinked";
  }

  get isLinked() {
    return this.status === "ready" && this.card?.state === "linked";
  }

  /** Only admins may link; everyone else is told to ask one. */
  get askAnAdmin() {
    return this.isUnlinked && !this.view.canLink;
  }

  get showFlagButton() {
    return this.isLinked && this.view.canFlag && !this.flagFormOpen;
  }

  /** Loads the card; a newer load's answer wins over an older one still on its way. */
  async load() {
    const load = ++this.latestLoad;
    let next;
    try {
      const card = parseCard(await getCard({ recordId: this.recordId }));
      next = card ? { status: "ready", card } : { status: "error", detail: UNAVAILABLE };
    } catch (error) {
      next = { status: "error", detail: errorDetail(error) };
    }
    if (load !== this.latestLoad) return;
    if (next.status === "error") {
      this.loadError = next.detail;
      this.card = null;
      this.view = null;
      this.status = "error";
      return;
    }
    this.card = next.card;
    this.view = next.card.state === "linked" ? linkedView(next.card, this.format) : unlinkedView(next.card);
    this.status = "ready";
  }

  handleTryAgain() {
    this.status = "loading";
    this.load();
  }

  /** Runs an action: on success the API's message in a toast and a reload, on failure the problem's detail. */
  async run(action) {
    if (this.busy) return false;
    this.busy = true;
    try {
      const answer = parseAnswer(await action());
      this.toast("success", "Done", answer ? answer.message : "Done.");
    } catch (error) {
      this.toast("error", "That did not work", errorDetail(error));
      this.busy = false;
      return false;
    }
    await this.load();
    this.busy = false;
    return true;
  }

  toast(variant, title, message) {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }

  handleRetry(event) {
    const paymentId = event.currentTarget.dataset.paymentId;
    return this.run(() => retryPayment({ recordId: this.recordId, paymentId }));
  }

  handleLink(event) {
    const accountId = event.currentTarget.dataset.accountId;
    return this.run(() => linkAccount({ recordId: this.recordId, accountId }));
  }

  handleOpenFlagForm() {
    this.flag = { ...EMPTY_FLAG };
    this.flagErrors = {};
    this.flagFormOpen = true;
  }

  handleCancelFlag() {
    this.flagFormOpen = false;
    this.flagErrors = {};
  }

  handleFlagChange(event) {
    const field = event.currentTarget.dataset.field;
    const value = event.detail?.value ?? event.target.value ?? "";
    this.flag = { ...this.flag, [field]: String(value) };
  }

  async handleSubmitFlag(event) {
    event?.preventDefault?.();
    if (this.busy) return;
    const checked = checkFlag(this.flag, this.view);
    this.flagErrors = checked.errors;
    if (!checked.request) return;
    const { reason, note, amount } = checked.request;
    const sent = await this.run(() =>
      flagIssue({
        recordId: this.recordId,
        reason,
        note: note ?? null,
        amountMinor: amount ? amount.minor : null,
        currencyCode: amount ? amount.currency : null,
      }),
    );
    if (sent) {
      this.flagFormOpen = false;
      this.flag = { ...EMPTY_FLAG };
    }
  }
}
