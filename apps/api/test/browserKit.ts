// What the browser tests share: Debian's Chromium (and whether it is here), how it is started on this machine, the
// screenshots folder, and signing in with a demo user's button.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";

export { servicesRequired } from "@reckon/db/testing";

export const chromiumPath = "/usr/bin/chromium";
export const haveChromium = existsSync(chromiumPath);
export const shots = "test-results";

/** Opens the site signed out, lands on the sign-in page and clicks the demo user's own button. */
export async function signInAs(context: BrowserContext, baseUrl: string, name: string): Promise<Page> {
  const page = await context.newPage();
  const opened = await page.goto(`${baseUrl}/`);
  expect(opened?.status()).toBe(200);
  expect(new URL(page.url()).pathname).toBe("/sign-in");
  await Promise.all([
    page.waitForURL(`${baseUrl}/`),
    page.getByRole("button", { name: `Sign in as ${name}`, exact: true }).click(),
  ]);
  await expect(page.locator("header .who").textContent()).resolves.toContain(name);
  return page;
}

/** Headless Chromium with the flags this machine needs (its closed network refuses background connections). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
  /** The first few elements, with what is wrong with them. */
  targets: string[];
}

/** axe-core's WCAG 2.1 A/AA rules over the page as it is now; the serious and critical findings, with where. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve("axe-core/axe.min.js") });
  // Run in the page (a string: this project's TypeScript has no DOM library).
  const violations = (await page.evaluate(`(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n) => String(n.target) + " " + (n.failureSummary || "").split("\\n").slice(-1)[0]),
    }));
  })()`)) as AxeViolation[];
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}
