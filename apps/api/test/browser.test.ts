// The web view in a real browser: signing in with a demo user's button, the grid, filters through the URL, an
// account's detail page, and a viewer's page without Refresh.
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath, haveChromium, launchChromium, servicesRequired, shots, signInAs } from "./browserKit";
import { startTestStack } from "./stack";

async function gridRows(page: Page) {
  return page.locator("#portfolio tbody tr").evaluateAll((rows) =>
    rows.map((row) => ({
      name: row.querySelector("th a")?.textContent ?? "",
      href: row.querySelector("th a")?.getAttribute("href") ?? "",
      status: row.getAttribute("data-status") ?? "",
      paid: row.textContent?.includes("Paid ✓") ?? false,
      invoiced: row.children[4]?.textContent !== "—",
    })),
  );
}

if (!haveChromium && servicesRequired) {
  it("web view in a browser", () => {
    throw new Error(
      `${chromiumPath} is missing and RECKON_REQUIRE_SERVICES=1: install it with apt-get install chromium`,
    );
  });
}

describe.skipIf(!haveChromium)(
  haveChromium ? "web view in a browser" : `web view in a browser (skipped: ${chromiumPath} is not installed)`,
  () => {
    let stack: Awaited<ReturnType<typeof startTestStack>>;
    let browser: Browser;

    beforeAll(async () => {
      mkdirSync(shots, { recursive: true });
      stack = await startTestStack();
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await stack?.stop();
    });

    it("signs in with a demo user's button, filters the grid and opens an account's invoices, payments and chart", async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const signInPage = await context.newPage();
      await signInPage.goto(`${stack.url}/sign-in`);
      await expect(signInPage.locator("#demo-users tbody tr").count()).resolves.toBe(stack.demo!.access.users.length);
      await signInPage.screenshot({ path: `${shots}/web-sign-in.png`, fullPage: true });
      await signInPage.close();

      const page = await signInAs(context, stack.url, stack.as.admin.name);
      await expect(page.locator("h1").textContent()).resolves.toContain("Portfolio");
      await expect(page.getByRole("button", { name: "Refresh" }).count()).resolves.toBe(1);
      const all = await gridRows(page);
      expect(all.length).toBeGreaterThan(0);
      await page.screenshot({ path: `${shots}/web-portfolio.png`, fullPage: true });

      // A paid, invoiced account has both invoices and payments to show on its detail page.
      const target = all.find((r) => r.paid && r.invoiced) ?? all[0]!;
      const term = target.name.split(/\s+/)[0]!.slice(0, 6);
      await page.getByLabel("Client", { exact: true }).fill(term);
      await page.getByLabel("Status", { exact: true }).selectOption(target.status);
      await Promise.all([page.waitForURL(/[?&]q=/), page.getByRole("button", { name: "Apply filters" }).click()]);

      const url = new URL(page.url());
      expect(url.searchParams.get("q")).toBe(term);
      expect(url.searchParams.get("status")).toBe(target.status);
      const filtered = await gridRows(page);
      expect(filtered.map((r) => r.name)).toContain(target.name);
      for (const row of filtered) {
        expect(row.name.toLowerCase()).toContain(term.toLowerCase());
        expect(row.status).toBe(target.status);
      }
      await page.screenshot({ path: `${shots}/web-portfolio-filtered.png`, fullPage: true });

      await Promise.all([
        page.waitForURL(/\/accounts\//),
        page.locator("#portfolio tbody th a", { hasText: target.name }).first().click(),
      ]);
      await expect(page.locator("#account-name").textContent()).resolves.toContain(target.name);
      expect(await page.locator("#invoices tbody > tr").count()).toBeGreaterThan(0);
      expect(await page.locator("#payments tbody > tr").count()).toBeGreaterThan(0);
      const chart = page.locator("svg.trend").first();
      await expect(chart.isVisible()).resolves.toBe(true);
      expect(await chart.locator("rect").count()).toBeGreaterThan(0);
      await page.screenshot({ path: `${shots}/web-account.png`, fullPage: true });

      // Bad input is a readable 400 page, never a 500.
      const rejected = await page.goto(`${stack.url}/?from=yesterday`);
      expect(rejected?.status()).toBe(400);
      await expect(page.getByRole("alert").textContent()).resolves.toContain("Due from");

      const phone = await context.newPage();
      await phone.setViewportSize({ width: 390, height: 844 });
      await phone.goto(`${stack.url}/`);
      await phone.screenshot({ path: `${shots}/web-portfolio-phone.png` });
      await context.close();
    });

    it("shows a viewer the grid without the Refresh button, and signs them out", async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await signInAs(context, stack.url, stack.as.viewer.name);
      await expect(page.locator("header .who").textContent()).resolves.toContain("Viewer");
      expect((await gridRows(page)).length).toBeGreaterThan(0);
      await expect(page.getByRole("button", { name: "Refresh" }).count()).resolves.toBe(0);
      await expect(page.locator('form[action="/refresh"]').count()).resolves.toBe(0);

      await Promise.all([page.waitForURL(/\/sign-in$/), page.getByRole("button", { name: "Sign out" }).click()]);
      await page.goto(`${stack.url}/`);
      expect(new URL(page.url()).pathname).toBe("/sign-in");
      await context.close();
    });

    it("shows an account manager what the Slack bot answers them, rendered as Slack shows it", async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await signInAs(context, stack.url, stack.as.account_manager.name);
      await page.goto(`${stack.url}/slack`);
      await expect(page.getByRole("heading", { name: "Try the bot" }).count()).resolves.toBe(1);
      await page.getByLabel("/billing").fill("portfolio");
      await Promise.all([page.waitForURL(/\/slack\?sent=/), page.getByRole("button", { name: "Send" }).click()]);
      const answers = page.locator("#ephemeral + ol .sk-message");
      await expect(answers.count()).resolves.toBeGreaterThan(0);
      await expect(answers.first().textContent()).resolves.toContain("Your portfolio");
      await page.screenshot({ path: `${shots}/web-slack.png`, fullPage: true });
      await context.close();
    });
  },
);
