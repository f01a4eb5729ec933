// The account page's money tables: invoices (lines folded in a <details>) and payments with failures and refunds.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { AccountDetail } from "@reckon/core";
import { formatDay, formatInstant, formatMoney, formatQuantity } from "./format";

type Invoice = AccountDetail["invoices"][number];
type Payment = AccountDetail["payments"][number];

export function InvoicesTable(props: { invoices: Invoice[]; today: string }) {
  if (props.invoices.length === 0) return <p class="muted">No invoices from QuickBooks for this account.</p>;
  return (
    <div class="scroll">
      <table id="invoices">
        <caption>Latest {props.invoices.length} invoices, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Number</th>
            <th scope="col">Issued</th>
            <th scope="col">Due</th>
            <th scope="col" class="num">
              Total
            </th>
            <th scope="col" class="num">
              Balance
            </th>
            <th scope="col">Lines</th>
          </tr>
        </thead>
        <tbody>
          {props.invoices.map((invoice) => {
            const open = BigInt(invoice.balance.minor) > 0n;
            const late = open && invoice.dueOn !== null && invoice.dueOn < props.today;
            return (
              <tr>
                <th scope="row">{invoice.number ?? invoice.id}</th>
                <td class="nowrap">
                  <time datetime={invoice.issuedOn}>{formatDay(invoice.issuedOn)}</time>
                </td>
                <td class={late ? "nowrap red" : "nowrap"}>
                  {invoice.dueOn ? <time datetime={invoice.dueOn}>{formatDay(invoice.dueOn)}</time> : "—"}
                  {late ? " (past due)" : ""}
                </td>
                <td class="num">{formatMoney(invoice.total)}</td>
                <td class={open ? "num red" : "num"}>{open ? formatMoney(invoice.balance) : "Paid"}</td>
                <td>
                  <InvoiceLines invoice={invoice} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function InvoiceLines({ invoice }: { invoice: Invoice }) {
  if (invoice.lines.length === 0) return <span class="muted">No lines</span>;
  return (
    <details>
      <summary>
        {invoice.lines.length} {invoice.lines.length === 1 ? "line" : "lines"}
      </summary>
      <table>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" class="num">
              Quantity
            </th>
            <th scope="col" class="num">
              Amount
            </th>
            <th scope="col">Service date</th>
          </tr>
        </thead>
        <tbody>
          {invoice.lines.map((line) => (
            <tr>
              <td>
                {line.item ?? "—"}
                {line.metric ? <span class="headline">metric: {line.metric}</span> : null}
              </td>
              <td class="num">{line.quantity === null ? "—" : formatQuantity(line.quantity)}</td>
              <td class="num">{formatMoney(line.amount)}</td>
              <td class="nowrap">{line.serviceDate ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

const badPaymentStatuses = new Set(["failed", "disputed", "refunded"]);

export function PaymentsTable(props: { payments: Payment[]; invoices: Invoice[] }) {
  if (props.payments.length === 0) return <p class="muted">No payments from Stripe for this account.</p>;
  const numbers = new Map(props.invoices.map((i) => [i.id, i.number ?? i.id]));
  return (
    <div class="scroll">
      <table id="payments">
        <caption>Latest {props.payments.length} payments, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Status</th>
            <th scope="col" class="num">
              Amount
            </th>
            <th scope="col" class="num">
              Refunded
            </th>
            <th scope="col">Failure</th>
            <th scope="col">Invoices paid</th>
          </tr>
        </thead>
        <tbody>
          {props.payments.map((payment) => {
            const bad = badPaymentStatuses.has(payment.status) || payment.disputed;
            const refunded = BigInt(payment.refunded.minor) !== 0n;
            const failure = [payment.failureCode, payment.failureMessage].filter(Boolean).join(": ");
            return (
              <tr>
                <th scope="row" class="nowrap">
                  <time datetime={payment.createdAt}>{formatInstant(payment.createdAt)}</time>
                </th>
                <td>
                  <span class={bad ? "badge bad" : payment.status === "succeeded" ? "badge ok" : "badge attention"}>
                    {payment.status}
                  </span>
                  {payment.disputed && payment.status !== "disputed" ? " (disputed)" : ""}
                </td>
                <td class="num">{formatMoney(payment.amount)}</td>
                <td class={refunded ? "num red" : "num"}>{refunded ? formatMoney(payment.refunded) : "—"}</td>
                <td class={failure ? "red" : undefined}>{failure || "—"}</td>
                <td>
                  {payment.invoiceIds.length > 0 ? (
                    payment.invoiceIds.map((id) => numbers.get(id) ?? id).join(", ")
                  ) : (
                    <span class="muted">Not matched to an invoice</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
