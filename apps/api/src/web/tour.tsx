// The first-login tour over the demo data (the brief's adoption risk: a new tool nobody opens twice): four short
// steps on the portfolio page, dismissed once per user and remembered, brought back from the page's footer link.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Viewer } from "./viewer";

const steps: Array<{ title: string; body: string; href: string; link: string }> = [
  {
    title: "Your portfolio at a glance",
    body: "Each row is one client: usage this month, the latest invoice, when it is due and whether it is paid. Rows in red are the outliers to look at first.",
    href: "#portfolio",
    link: "See the grid",
  },
  {
    title: "Narrow it down",
    body: "Filter by client, owner, status, or the quarter or dates invoices fall due; the address keeps your filters, so a link shows a colleague the same view. Export CSV takes the same filters.",
    href: "#filters",
    link: "See the filters",
  },
  {
    title: "Open an account",
    body: "An account's page explains every discrepancy in a sentence, projects usage to quarter end, and has Retry payment and Flag issue: finance approves retries on their Approvals page or in Slack.",
    href: "#portfolio",
    link: "Pick an account",
  },
  {
    title: "Where else it shows up",
    body: "The same numbers and actions are in Slack (/billing) and on the account's card in Salesforce or HubSpot, so you can stay where you work.",
    href: "/slack",
    link: "See the Slack bot",
  },
];

export function Tour({ viewer }: { viewer: Viewer }) {
  return (
    <section class="card tour" id="tour" aria-labelledby="tour-title">
      <h2 id="tour-title">Welcome to Reckon, {viewer.name.split(" ")[0]}: a one-minute tour</h2>
      <ol>
        {steps.map((step) => (
          <li>
            <strong>{step.title}.</strong> {step.body} <a href={step.href}>{step.link}</a>
          </li>
        ))}
      </ol>
      <form method="post" action="/tour" class="inline">
        <input type="hidden" name="_csrf" value={viewer.csrfToken} />
        <input type="hidden" name="tour" value="dismiss" />
        <button type="submit">Got it, hide the tour</button>
      </form>
    </section>
  );
}

/** The footer link that brings the tour back. */
export function TourRestart({ viewer }: { viewer: Viewer }) {
  return (
    <form method="post" action="/tour" class="inline">
      <input type="hidden" name="_csrf" value={viewer.csrfToken} />
      <input type="hidden" name="tour" value="restart" />
      <button type="submit" class="secondary">
        Show the tour again
      </button>
    </form>
  );
}
