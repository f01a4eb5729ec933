// Signing in and out of the web view: GET and POST /sign-in, POST /sign-out.
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
// The session lives in an HttpOnly, SameSite cookie; before there is one, the sign-in form double-submits a random
// cookie as its CSRF token.
import { randomBytes } from "node:crypto";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { sessionHours, signIn, signInInput, signOut } from "@reckon/core";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../app";
import { clearSessionCookie, sameToken, setSessionCookie, signInCsrfCookie } from "../auth/session";
import { MessagePage } from "./layout";
import { type SignInField, SignInView, type SignInViewProps } from "./signInPage";
import { localPath } from "./viewer";

/** The same sentence whatever was wrong, so the page never tells which workspaces or emails exist. */
export const signInFailure = "That workspace, email and password do not match. Check them and try again.";

const signInCookiePath = "/sign-in";
/** Long enough to type a password, short enough that a stale page asks for a reload. */
const signInCookieSeconds = 30 * 60;
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

const fieldLabels: Record<SignInField, string> = { workspace: "Workspace", email: "Email", password: "Password" };

/**
 * The token the sign-in forms carry: the session's when someone is signed in already (the CSRF middleware checks
 * it), otherwise the sign-in cookie's, kept across renders so two open tabs both still work.
 */
function signInToken(c: Context<AppEnv>): string {
  const sessionToken = c.get("csrfToken");
  if (sessionToken) return sessionToken;
  const existing = getCookie(c, signInCsrfCookie);
  const token = existing && tokenPattern.test(existing) ? existing : randomBytes(32).toString("base64url");
  setCookie(c, signInCsrfCookie, token, {
    httpOnly: true,
    sameSite: "Strict",
    secure: c.var.deps.secureCookies,
    path: signInCookiePath,
    maxAge: signInCookieSeconds,
  });
  return token;
}

function page(c: Context<AppEnv>, props: Omit<SignInViewProps, "csrfToken" | "demo" | "signedInAs">) {
  const actor = c.var.ctx?.actor;
  return (
    <SignInView
      {...props}
      csrfToken={signInToken(c)}
      demo={c.var.deps.demo}
      signedInAs={actor?.kind === "user" ? actor.name : null}
    />
  );
}

export function registerSessionRoutes(app: OpenAPIHono<AppEnv>) {
  app.get("/sign-in", (c) => {
    const demo = c.var.deps.demo;
    return c.html(
      page(c, { next: localPath(c.req.query("next")), values: { workspace: demo?.workspace ?? "", email: "" } }),
    );
  });

  app.post("/sign-in", async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const field = (key: string) => {
      const value = form[key];
      return typeof value === "string" ? value : "";
    };
    // Signed in already: the middleware has checked the session's token. Otherwise the form proves the cookie.
    const expected = c.get("csrfToken") ?? getCookie(c, signInCsrfCookie);
    if (!expected || !sameToken(field("_csrf"), expected)) {
      const refused = (
        <MessagePage
          title="Sign-in form expired"
          message="This sign-in form is stale or came from another site (CSRF check failed). Open the sign-in page again and retry."
          back={{ href: "/sign-in", label: "Open the sign-in page" }}
        />
      );
      return c.html(refused, 403);
    }
    const next = localPath(field("next"));
    const typed = { workspace: field("workspace"), email: field("email"), password: field("password") };
    const values = { workspace: typed.workspace.slice(0, 40), email: typed.email.slice(0, 320) };
    const input = signInInput.safeParse(typed);
    if (!input.success) {
      const problems = input.error.issues.map((issue) => {
        const name = String(issue.path[0]) as SignInField;
        const message = issue.code === "too_big" ? "too long" : `enter ${issue.message}`;
        return { field: name, message: `${fieldLabels[name] ?? name}: ${message}.` };
      });
      return c.html(page(c, { next, values, problems }), 400);
    }
    const result = await signIn({ ctx: c.var.deps.services, input: input.data, requestId: c.var.requestId });
    if (!result.ok) return c.html(page(c, { next, values, failure: signInFailure }), 400);
    const previous = c.get("ctx");
    if (previous) await signOut({ ctx: previous });
    setSessionCookie(c, result.sessionSecret, sessionHours * 3600, c.var.deps.secureCookies);
    deleteCookie(c, signInCsrfCookie, { path: signInCookiePath, secure: c.var.deps.secureCookies });
    return c.redirect(next, 303);
  });

  // The CSRF middleware has checked the session's token before this runs.
  app.post("/sign-out", async (c) => {
    const ctx = c.get("ctx");
    if (ctx) await signOut({ ctx });
    clearSessionCookie(c, c.var.deps.secureCookies);
    return c.redirect("/sign-in", 303);
  });
}
