// The web view's sign-in against the whole stack: redirects, cookies, CSRF on every form, sign-out revoking the
// session, roles (no Refresh for viewers) and an account manager seeing their own accounts only.
import type { UserRole } from "@reckon/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack } from "../../test/stack";
import type { PortfolioResponse } from "../routes/portfolio";
import { signInFailure } from "./sessionRoutes";

let stack: Awaited<ReturnType<typeof startTestStack>>;

beforeAll(async () => {
  // 60 accounts: the generator gives them two account managers, so narrowing has someone else's accounts to hide.
  stack = await startTestStack({ accounts: 60, months: 2 });
});
afterAll(() => stack.stop());

/** A browser without a session: no Authorization header, redirects not followed. */
function browse(path: string, init: RequestInit = {}) {
  return stack.fetch(path, { redirect: "manual", ...init }, null);
}

function cookieFrom(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

/** "name=value" of a Set-Cookie line, for the Cookie header. */
function pair(setCookie: string | undefined): string {
  if (!setCookie) throw new Error("no such Set-Cookie");
  return setCookie.split(";")[0]!;
}

function csrfIn(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error("page has no _csrf field");
  return token;
}

async function openSignIn(next?: string) {
  const response = await browse(next === undefined ? "/sign-in" : `/sign-in?${new URLSearchParams({ next })}`);
  const html = await response.text();
  return { response, html, token: csrfIn(html), cookie: pair(cookieFrom(response, "reckon_signin_csrf")) };
}

function postForm(path: string, fields: Record<string, string>, cookie?: string) {
  return browse(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(fields),
  });
}

async function submitSignIn(role: UserRole, fields: Record<string, string> = {}) {
  const { token, cookie } = await openSignIn();
  const user = stack.as[role];
  return postForm(
    "/sign-in",
    { _csrf: token, workspace: stack.demo!.slug, email: user.email, password: user.password, ...fields },
    cookie,
  );
}

/** Signs in through the form; the session cookie and the CSRF token its pages carry. */
async function session(role: UserRole) {
  const response = await submitSignIn(role);
  expect(response.status).toBe(303);
  const cookie = pair(cookieFrom(response, "reckon_session"));
  const home = await browse("/", { headers: { cookie } });
  expect(home.status).toBe(200);
  return { cookie, csrf: csrfIn(await home.text()) };
}

function accountIds(html: string): string[] {
  return [...html.matchAll(/href="\/accounts\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
}

describe("web sign-in", () => {
  it("sends a visitor without a session to the sign-in page, remembering where they were going", async () => {
    const home = await browse("/");
    expect(home.status).toBe(303);
    expect(home.headers.get("location")).toBe("/sign-in?next=%2F");
    const account = await browse("/accounts/6b84b10f-677d-4a23-b0f1-8feb9cef90d4");
    expect(account.headers.get("location")).toBe("/sign-in?next=%2Faccounts%2F6b84b10f-677d-4a23-b0f1-8feb9cef90d4");
  });

  it("lists the demo users of every role, pre-fills the demo workspace and sets a strict CSRF cookie", async () => {
    const { response, html } = await openSignIn();
    expect(response.status).toBe(200);
    for (const role of ["admin", "finance", "account_manager", "viewer"] as const) {
      expect(html).toContain(`<tr data-role="${role}">`);
      expect(html).toContain(stack.as[role].email);
    }
    expect(html).toContain(`name="workspace" value="${stack.demo!.slug}"`);
    const cookie = cookieFrom(response, "reckon_signin_csrf")!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Max-Age=\d+/);
  });

  it("signs in with the right password: a 303 and an HttpOnly, SameSite=Lax session cookie for the whole site", async () => {
    const response = await submitSignIn("finance");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/");
    const cookie = cookieFrom(response, "reckon_session")!;
    expect(cookie).toMatch(/^reckon_session=rks_/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/; Secure/);
    // Relative lifetime: the stack's clock is pinned, and an absolute Expires from it may be in the browser's past.
    expect(cookie).toMatch(/; Max-Age=43200(;|$)/);
    expect(cookie).not.toMatch(/; Expires=/);
    const home = await browse("/", { headers: { cookie: pair(cookie) } });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain(`Signed in as <strong>${stack.as.finance.name}</strong> (Finance)`);
  });

  it("keeps pages out of caches", async () => {
    const admin = await session("admin");
    for (const path of ["/sign-in", "/", `/accounts/00000000-0000-4000-8000-000000000000`]) {
      const response = await browse(path, { headers: { cookie: admin.cookie } });
      expect(response.headers.get("cache-control"), path).toBe("no-store");
    }
  });

  it("signing in again while signed in replaces the old session", async () => {
    const first = await session("admin");
    const page = await (await browse("/sign-in", { headers: { cookie: first.cookie } })).text();
    expect(page).toContain(`You are signed in as ${stack.as.admin.name}`);
    // The forms carry the session's token then, which the CSRF middleware checks.
    expect(csrfIn(page)).toBe(first.csrf);
    const viewer = stack.as.viewer;
    const fields = { workspace: stack.demo!.slug, email: viewer.email, password: viewer.password };
    expect((await postForm("/sign-in", { ...fields, _csrf: "stale" }, first.cookie)).status).toBe(403);
    const again = await postForm("/sign-in", { ...fields, _csrf: first.csrf }, first.cookie);
    expect(again.status).toBe(303);
    const second = pair(cookieFrom(again, "reckon_session"));
    expect((await browse("/", { headers: { cookie: first.cookie } })).status).toBe(303);
    expect(await (await browse("/", { headers: { cookie: second } })).text()).toContain(viewer.name);
  });

  it("answers a wrong password, email or workspace with the same generic 400 and no cookie", async () => {
    const wrong: Array<Record<string, string>> = [
      { password: "not-the-password" },
      { email: "nobody@example.com" },
      { workspace: "nowhere" },
    ];
    for (const fields of wrong) {
      const response = await submitSignIn("admin", fields);
      expect(response.status, JSON.stringify(fields)).toBe(400);
      const html = await response.text();
      expect(html).toContain(signInFailure);
      expect(html).not.toContain("not-the-password");
      expect(cookieFrom(response, "reckon_session")).toBeUndefined();
    }
  });

  it("answers input that cannot be a sign-in with 400 and the field's message", async () => {
    const response = await submitSignIn("admin", { email: "not an email" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Email: enter an email address.");
    expect(cookieFrom(response, "reckon_session")).toBeUndefined();
  });

  it("refuses a sign-in without the CSRF cookie's token with 403", async () => {
    const { token, cookie } = await openSignIn();
    const user = stack.as.admin;
    const fields = { workspace: stack.demo!.slug, email: user.email, password: user.password };
    const attempts = [
      postForm("/sign-in", fields, cookie),
      postForm("/sign-in", { ...fields, _csrf: "x".repeat(43) }, cookie),
      postForm("/sign-in", { ...fields, _csrf: token }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(403);
      expect(cookieFrom(response, "reckon_session")).toBeUndefined();
    }
  });

  it("returns to a local `next` only, never to another site", async () => {
    const cases: Array<[string, string]> = [
      ["/accounts/abc?x=1", "/accounts/abc?x=1"],
      ["//evil.example", "/"],
      ["/\\evil.example", "/"],
      ["https://evil.example/", "/"],
      ["/\t/evil.example", "/"],
    ];
    for (const [next, expected] of cases) {
      const response = await submitSignIn("viewer", { next });
      expect(response.status, next).toBe(303);
      expect(response.headers.get("location"), next).toBe(expected);
    }
  });

  it("needs the session's CSRF token to refresh; a viewer sees no Refresh and is refused", async () => {
    const finance = await session("finance");
    const missing = await postForm("/refresh", { back: "" }, finance.cookie);
    expect(missing.status).toBe(403);
    const wrong = await postForm("/refresh", { back: "", _csrf: "nope" }, finance.cookie);
    expect(wrong.status).toBe(403);
    const ok = await postForm("/refresh", { back: "q=a", _csrf: finance.csrf }, finance.cookie);
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe("/?q=a&notice=refresh");

    const viewer = await session("viewer");
    const page = await (await browse("/", { headers: { cookie: viewer.cookie } })).text();
    expect(page).not.toContain('action="/refresh"');
    expect(page).toContain('action="/sign-out"');
    const refused = await postForm("/refresh", { back: "", _csrf: viewer.csrf }, viewer.cookie);
    expect(refused.status).toBe(403);
  });

  it("signs out with the CSRF token only, and the old cookie no longer works", async () => {
    const admin = await session("admin");
    expect((await postForm("/sign-out", {}, admin.cookie)).status).toBe(403);
    expect((await browse("/", { headers: { cookie: admin.cookie } })).status).toBe(200);

    const out = await postForm("/sign-out", { _csrf: admin.csrf }, admin.cookie);
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/sign-in");
    expect(cookieFrom(out, "reckon_session")).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
    const again = await browse("/", { headers: { cookie: admin.cookie } });
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toBe("/sign-in?next=%2F");
  });
});

describe("an account manager in the web view", () => {
  it("sees exactly their own accounts, no other owner's name, and 404 for someone else's account", async () => {
    const manager = stack.as.account_manager;
    const all = (await (await stack.fetch("/v1/portfolio?limit=200")).json()) as PortfolioResponse;
    expect(all.nextCursor).toBeNull();
    const own = all.rows.filter((r) => r.owner?.id === manager.id);
    const others = all.rows.filter((r) => r.owner?.id !== manager.id);
    expect(own.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);

    const { cookie } = await session("account_manager");
    const html = await (await browse("/?limit=200", { headers: { cookie } })).text();
    expect(html).toContain("You see your own portfolio");
    expect(new Set(accountIds(html))).toEqual(new Set(own.map((r) => r.accountId)));
    expect(html).not.toContain('id="filter-owner"');
    for (const name of new Set(others.map((r) => r.owner?.name).filter((n): n is string => !!n))) {
      if (name !== manager.name) expect(html).not.toContain(name);
    }
    // Asking for another owner's accounts by URL changes nothing.
    const otherOwner = others.find((r) => r.owner)?.owner?.id;
    if (otherOwner) {
      const filtered = await (await browse(`/?limit=200&owner=${otherOwner}`, { headers: { cookie } })).text();
      expect(new Set(accountIds(filtered))).toEqual(new Set(own.map((r) => r.accountId)));
    }

    const someoneElses = await browse(`/accounts/${others[0]!.accountId}`, { headers: { cookie } });
    const unknown = await browse("/accounts/00000000-0000-4000-8000-000000000000", { headers: { cookie } });
    expect(someoneElses.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await someoneElses.text()).toBe(await unknown.text());
    expect((await browse(`/accounts/${own[0]!.accountId}`, { headers: { cookie } })).status).toBe(200);
  });
});
