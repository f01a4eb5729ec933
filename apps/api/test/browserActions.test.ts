// The web view's two actions end to end in a real browser: an account manager asks for a payment retry on the account
// page, finance approves it on the approvals page, Stripe (the sandbox) is charged once and the account page shows
// the outcome; an account manager flags an issue, finance resolves it on the flags page.
import { mkdirSync } from "node:fs";
import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chromiumPath,
  haveChromium,
  launchChromium,
  seriousViolations,
  servicesRequired,
  shots,
  signInAs,
} from "./browserKit";
import { startTestStack, type TestStack } from "./stack";

if (!haveChromium && servicesRequired) {
  it("web actions in a browser", () => {
    throw new Error(
      `${chromiumPath} is missing and RECKON_REQUIRE_SERVICES=1: install it with apt-get install chromium`,
    );
  });
}

describe.skipIf(!haveChromium)(
  haveChromium ? "web actions in a browser" : `web actions in a browser (skipped: ${chromiumPath} is not installed)`,
  () => {
    let stack: TestStack;
    let browser: Browser;
    let target: { id: string; name: string; stripe: string };

    beforeAll(async () => {
      mkdirSync(shots, { recursive: true });
      stack = await startTestStack({ accounts: 16, months: 2 });
      const [row] = await queryRows<{ id: string; name: string; stripe_customer_id: string }>(
        stack.services.db,
        sql`select id, name, stripe_customer_id from accounts
            where owner_id = ${stack.as.account_manager.id}::uuid and stripe_customer_id is not null
            order by name limit 1`,
      );
      target = { id: row!.id, name: row!.name, stripe: row!.stripe_customer_id };
      browser = await launchChromium();
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await stack?.stop();
    });

    /** A declined charge of the target account, delivered by the sandbox's webhook as Stripe would. */
    async function declinedCharge(amount: number): Promise<{ id: string; paymentIntent: string }> {
      const { charge } = stack.demo!.sandbox.changes.addCharge({ customerId: target.stripe, amount, failed: true });
      for (let i = 0; i < 100; i++) {
        const [stored] = await queryRows<{ id: string }>(
          stack.services.db,
          sql`select source_id as id from payments where source = 'stripe' and source_id = ${charge.id}`,
        );
        if (stored) return { id: charge.id, paymentIntent: String(charge.payment_intent) };
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`the sandbox's webhook for ${charge.id} never reached Reckon`);
    }

    it("asks for a retry on the account page, finance approves it, and Stripe is charged once", async () => {
      const charge = await declinedCharge(2_750);
      const manager = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await signInAs(manager, stack.url, stack.as.account_manager.name);
      await page.goto(`${stack.url}/accounts/${target.id}`);
      const retry = page.locator("#retries li", { hasText: "$27.50" }).getByRole("button", { name: "Retry $27.50" });
      await Promise.all([page.waitForURL(/notice=retry_requested/), retry.click()]);
      await expect(page.locator("p.notice").textContent()).resolves.toContain("Retry requested");
      await expect(page.locator("#retries li", { hasText: "$27.50" }).textContent()).resolves.toContain(
        "waiting for finance",
      );
      // Asked once: the button is gone while the request is open.
      await expect(page.locator("#retries li", { hasText: "$27.50" }).getByRole("button").count()).resolves.toBe(0);
      await page.screenshot({ path: `${shots}/web-retry-requested.png`, fullPage: true });

      const finance = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const financePage = await signInAs(finance, stack.url, stack.as.finance.name);
      await financePage.getByRole("link", { name: "Approvals" }).click();
      const card = financePage.locator("li.card", { hasText: target.name }).filter({ hasText: "$27.50" });
      await expect(card.textContent()).resolves.toContain(stack.as.account_manager.name);
      await financePage.screenshot({ path: `${shots}/web-approvals.png`, fullPage: true });
      await Promise.all([
        financePage.waitForURL(/notice=approved/),
        card.getByRole("button", { name: "Approve" }).click(),
      ]);
      await stack.services.jobs.drain();

      const charges = stack.demo!.sandbox.scenario.stripe.charges.filter(
        (c) => String(c.payment_intent) === charge.paymentIntent && c.id !== charge.id,
      );
      expect(charges).toHaveLength(1);
      await page.reload();
      await expect(page.locator("#retries li", { hasText: "$27.50" }).textContent()).resolves.toMatch(
        /retried: (paid|declined again) by /,
      );
      // Approving the same request again (a second tab, a double submit) changes nothing.
      await financePage.goto(`${stack.url}/approvals`);
      await expect(financePage.locator("li.card", { hasText: "$27.50" }).count()).resolves.toBe(0);
      await manager.close();
      await finance.close();
    });

    it("shows the portfolio's aging, DSO, CEI and MRR as charts with their numbers beside them", async () => {
      const finance = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await signInAs(finance, stack.url, stack.as.finance.name);
      await page.getByRole("link", { name: "Finance metrics" }).click();
      await expect(page.locator("h2#aging").count()).resolves.toBe(1);
      // One aging chart and one MRR chart per currency, each an SVG image with a title, and a table of its numbers.
      const charts = page.locator("svg[role=img]");
      expect(await charts.count()).toBeGreaterThanOrEqual(2);
      const titles = await charts.evaluateAll((svgs) => svgs.map((svg) => svg.querySelector("title")?.textContent));
      expect(titles.some((t) => t?.startsWith("Open receivables in"))).toBe(true);
      expect(titles.some((t) => t?.startsWith("MRR in"))).toBe(true);
      await expect(page.locator("#collection + dl, #collection ~ dl").first().textContent()).resolves.toMatch(/DSO/);
      await expect(page.locator("table[id^=mrr-movements]").first().textContent()).resolves.toContain("Churn");
      await page.screenshot({ path: `${shots}/web-metrics.png`, fullPage: true });
      await finance.close();
    });

    it("exports the filtered grid as CSV and an account's forecast report as PDF", async () => {
      const manager = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
      const page = await signInAs(manager, stack.url, stack.as.account_manager.name);
      await page.goto(`${stack.url}/?q=${encodeURIComponent(target.name)}`);
      const [csv] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export CSV" }).click(),
      ]);
      const text = await new Response((await csv.createReadStream()) as unknown as ReadableStream).text();
      const lines = text.trim().split(/\r?\n/);
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(target.name);

      await page.goto(`${stack.url}/accounts/${target.id}`);
      const [pdf] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Forecast report (PDF)" }).click(),
      ]);
      const bytes = Buffer.from(
        await new Response((await pdf.createReadStream()) as unknown as ReadableStream).arrayBuffer(),
      );
      expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
      const [audited] = await queryRows<{ n: number }>(
        stack.services.db,
        sql`select count(*)::int as n from audit_log where action = 'export.created'`,
      );
      expect(audited!.n).toBeGreaterThanOrEqual(2);
      await manager.close();
    });

    it("shows a first-login tour until it is dismissed, per user, and brings it back on request", async () => {
      const viewer = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await signInAs(viewer, stack.url, stack.as.viewer.name);
      await expect(page.locator("#tour").count()).resolves.toBe(1);
      await expect(page.locator("#tour li").count()).resolves.toBe(4);
      await Promise.all([
        page.waitForURL(`${stack.url}/`),
        page.getByRole("button", { name: "Got it, hide the tour" }).click(),
      ]);
      await expect(page.locator("#tour").count()).resolves.toBe(0);
      await page.reload();
      await expect(page.locator("#tour").count()).resolves.toBe(0);
      // Remembered for this user only: a new session of the same user has no tour; someone who never dismissed it does.
      const again = await browser.newContext();
      const samePerson = await signInAs(again, stack.url, stack.as.viewer.name);
      await expect(samePerson.locator("#tour").count()).resolves.toBe(0);
      await Promise.all([
        samePerson.waitForURL(/#tour$/),
        samePerson.getByRole("button", { name: "Show the tour again" }).click(),
      ]);
      await expect(samePerson.locator("#tour").count()).resolves.toBe(1);
      await viewer.close();
      await again.close();
    });

    it("formats money and numbers in the reader's language, and instants in the tenant's time zone", async () => {
      const changed = await stack.fetch("/v1/settings", {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ timeZone: "Europe/Berlin" }),
      });
      expect(changed.status).toBe(200);
      const german = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "de-DE" });
      const page = await signInAs(german, stack.url, stack.as.finance.name);
      await page.goto(`${stack.url}/accounts/${target.id}`);
      const money = await page.locator("#invoices tbody td.num").first().textContent();
      // German grouping and decimals (1.234,56 $), never the en-US form ($1,234.56).
      expect(money).toMatch(/^\d{1,3}(\.\d{3})*,\d{2}\s\$$/);
      const synced = await page.locator("header .sync time").textContent();
      expect(synced).toMatch(/MEZ|MESZ|GMT\+1|GMT\+2/);
      await german.close();
      await stack.fetch("/v1/settings", {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ timeZone: "UTC" }),
      });
    });

    it("fits a phone: the grid, an account and the tour scroll vertically, never sideways", async () => {
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      const page = await signInAs(phone, stack.url, stack.as.account_manager.name);
      const overflow = () =>
        page.evaluate("document.documentElement.scrollWidth - window.innerWidth") as Promise<number>;
      expect(await overflow()).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${shots}/web-phone-portfolio.png`, fullPage: true });
      await page.goto(`${stack.url}/accounts/${target.id}`);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${shots}/web-phone-account.png`, fullPage: true });
      await phone.close();
    });

    it("has no serious or critical accessibility violations on any page, for every role, and refuses the pages a role may not see", async () => {
      // Every page as every role that sees it; the finance and admin pages answer the others 403 (checked after).
      const everyone = ["/", `/accounts/${target.id}`, "/finance", "/slack", "/sync"];
      const pages: Array<{ role: "admin" | "finance" | "account_manager" | "viewer"; paths: string[] }> = [
        { role: "account_manager", paths: everyone },
        { role: "finance", paths: [...everyone, "/approvals", "/flags"] },
        { role: "viewer", paths: everyone },
        { role: "admin", paths: [...everyone, "/approvals", "/flags", "/links"] },
      ];
      const refused: Array<{ role: "finance" | "account_manager" | "viewer"; paths: string[] }> = [
        { role: "account_manager", paths: ["/approvals", "/flags", "/links"] },
        { role: "finance", paths: ["/links"] },
        { role: "viewer", paths: ["/approvals", "/flags", "/links"] },
      ];
      const found: string[] = [];
      for (const { role, paths } of pages) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const page = await signInAs(context, stack.url, stack.as[role].name);
        for (const path of paths) {
          const response = await page.goto(`${stack.url}${path}`);
          expect(response?.status(), `${role} ${path}`).toBe(200);
          for (const v of await seriousViolations(page))
            found.push(`${role} ${path}: ${v.impact} ${v.id} (${v.nodes}): ${v.help}: ${v.targets.join("; ")}`);
        }
        await context.close();
      }
      for (const { role, paths } of refused) {
        const context = await browser.newContext();
        const page = await signInAs(context, stack.url, stack.as[role].name);
        for (const path of paths) {
          const response = await page.goto(`${stack.url}${path}`);
          expect(response?.status(), `${role} ${path}`).toBe(403);
          for (const v of await seriousViolations(page))
            found.push(`${role} ${path} (refused): ${v.impact} ${v.id}: ${v.help}`);
        }
        await context.close();
      }
      // The sign-in page, signed out.
      const anonymous = await browser.newContext();
      const signIn = await anonymous.newPage();
      await signIn.goto(`${stack.url}/sign-in`);
      for (const v of await seriousViolations(signIn))
        found.push(`signed out /sign-in: ${v.impact} ${v.id}: ${v.help}`);
      await anonymous.close();
      expect(found).toEqual([]);
    });

    it("filters the grid by the quarter invoices fall due in, and totals every page under it", async () => {
      // One account's latest invoice falls due a quarter earlier, so no quarter holds every account.
      await queryRows(
        stack.services.db,
        sql`update account_summaries set latest_invoice_due_on = latest_invoice_due_on - interval '3 months'
            where account_id = (select account_id from account_summaries where latest_invoice_due_on is not null
                                  and tenant_id = ${stack.tenant.tenant.tenantId}::uuid order by account_name limit 1)`,
      );
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
      const page = await signInAs(context, stack.url, stack.as.finance.name);
      const options = await page
        .locator("#filter-quarter option")
        .evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
      // The quarter with the most accounts due in it, as the API counts them.
      const counted = await Promise.all(
        options.map(async (quarter) => {
          const response = await stack.fetch(`/v1/portfolio/totals?quarter=${quarter}`, {}, "finance");
          return { quarter, accounts: ((await response.json()) as { accounts: number }).accounts };
        }),
      );
      const busiest = counted.sort((a, b) => b.accounts - a.accounts)[0]!;
      const all = (await (await stack.fetch("/v1/portfolio/totals", {}, "finance")).json()) as { accounts: number };
      expect(busiest.accounts).toBeGreaterThan(0);
      expect(busiest.accounts).toBeLessThan(all.accounts);
      await page.selectOption("#filter-quarter", busiest.quarter);
      await page.getByRole("button", { name: "Apply filters" }).click();
      expect(new URL(page.url()).searchParams.get("quarter")).toBe(busiest.quarter);
      const due = await page
        .locator("#portfolio tbody time")
        .evaluateAll((all) => all.map((t) => t.getAttribute("datetime")));
      expect(due.length).toBe(Math.min(busiest.accounts, 50));
      const quarterOf = (day: string) => `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
      expect(new Set(due.map((day) => quarterOf(day!)))).toEqual(new Set([busiest.quarter]));
      await expect
        .poll(() => page.locator("#portfolio-totals th").textContent())
        .toBe(`Total: ${busiest.accounts} ${busiest.accounts === 1 ? "account" : "accounts"} (filtered), every page`);
      await page.screenshot({ path: `${shots}/web-portfolio-quarter.png`, fullPage: true });
      // Export CSV takes the quarter too: one line per account due in it.
      const [csv] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export CSV" }).click(),
      ]);
      const text = await new Response((await csv.createReadStream()) as unknown as ReadableStream).text();
      expect(text.trim().split(/\r?\n/)).toHaveLength(busiest.accounts + 1);
      await context.close();
    });

    it("lets an admin confirm a suggested link on Map accounts, and the suggestion leaves the list", async () => {
      const [linked] = await queryRows<{ id: string; name: string }>(
        stack.services.db,
        sql`update accounts set link_methods = link_methods || '{"stripe":"suggested"}'::jsonb
            where id = (select id from accounts where tenant_id = ${stack.tenant.tenant.tenantId}::uuid
                          and stripe_customer_id is not null and id <> ${target.id}::uuid order by name desc limit 1)
            returning id, name`,
      );
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await signInAs(context, stack.url, stack.as.admin.name);
      await page.getByRole("link", { name: "Map accounts" }).click();
      const row = page.locator("#suggested-links tbody tr", { hasText: linked!.name });
      await expect.poll(() => row.count()).toBe(1);
      await page.screenshot({ path: `${shots}/web-links.png`, fullPage: true });
      await row.getByRole("button", { name: /^Confirm/ }).click();
      await expect.poll(() => page.getByRole("status").textContent()).toContain("Linked.");
      expect(await page.locator("#suggested-links tbody tr", { hasText: linked!.name }).count()).toBe(0);
      const [account] = await queryRows<{ method: string }>(
        stack.services.db,
        sql`select link_methods->>'stripe' as method from accounts where id = ${linked!.id}::uuid`,
      );
      expect(account?.method).toBe("confirmed");
      // Any other role is told the page is not for them.
      const viewer = await browser.newContext();
      const other = await signInAs(viewer, stack.url, stack.as.finance.name);
      expect((await other.goto(`${stack.url}/links`))?.status()).toBe(403);
      await viewer.close();
      await context.close();
    });

    it("flags an issue from the account page and finance resolves it", async () => {
      const manager = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await signInAs(manager, stack.url, stack.as.account_manager.name);
      await page.goto(`${stack.url}/accounts/${target.id}`);
      await page.getByText("Flag issue", { exact: true }).click();
      await page.getByLabel("Reason").selectOption("other");
      await page.getByLabel(/^Amount at stake/).fill("12.5");
      // "Something else" needs a note: refused with the reason, nothing recorded.
      await page.getByRole("button", { name: "Flag it" }).click();
      await expect(page.locator("main").textContent()).resolves.toContain("note");
      await page.goBack();
      await page.getByText("Flag issue", { exact: true }).click();
      await page.getByLabel("Reason").selectOption("other");
      await page.getByLabel(/^Note/).fill("Customer disputes the seat count");
      await page.getByLabel(/^Amount at stake/).fill("12.5");
      await Promise.all([page.waitForURL(/notice=flagged/), page.getByRole("button", { name: "Flag it" }).click()]);
      await expect(page.locator("#flags + *").textContent()).resolves.toContain("Customer disputes the seat count");
      const [flag] = await queryRows<{ amount_minor: string; raised_via: string }>(
        stack.services.db,
        sql`select amount_minor::text, raised_via from flags where account_id = ${target.id}::uuid
              and note = 'Customer disputes the seat count'`,
      );
      expect(flag).toEqual({ amount_minor: "1250", raised_via: "web" });

      const finance = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const financePage = await signInAs(finance, stack.url, stack.as.finance.name);
      await financePage.goto(`${stack.url}/flags`);
      const item = financePage.locator("li.card", { hasText: "Customer disputes the seat count" });
      await item.getByLabel("Resolution").fill("Seats recounted with the customer");
      await Promise.all([
        financePage.waitForURL(/notice=resolved/),
        item.getByRole("button", { name: "Resolve" }).click(),
      ]);
      await expect(
        financePage.locator("li.card", { hasText: "Customer disputes the seat count" }).count(),
      ).resolves.toBe(0);
      // An account manager has no approvals or flags pages.
      const refused = await page.goto(`${stack.url}/approvals`);
      expect(refused?.status()).toBe(403);
      await manager.close();
      await finance.close();
    });
  },
);
