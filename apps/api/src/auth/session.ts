// The web session cookie and its CSRF token: the cookie is HttpOnly and SameSite; forms and fetches prove the
// token derived from it, which another site can neither read nor guess.
import { createHash, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

export const sessionCookie = "reckon_session";
/** Before sign-in there is no session: the sign-in form double-submits this random cookie instead. */
export const signInCsrfCookie = "reckon_signin_csrf";

export function csrfTokenFor(secret: string): string {
  return createHash("sha256").update(`csrf:${secret}`).digest("base64url");
}

export function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function readSessionSecret(c: Context): string | undefined {
  return getCookie(c, sessionCookie);
}

/**
 * A relative lifetime (Max-Age), never an absolute date: the browser's clock may differ from the server's (skewed, or
 * pinned by RECKON_AS_OF), and a fresh session must not arrive already expired. The server checks `expires_at` itself.
 */
export function setSessionCookie(c: Context, secret: string, lifetimeSeconds: number, secure: boolean) {
  setCookie(c, sessionCookie, secret, {
    httpOnly: true,
    sameSite: "Lax",
    secure,
    path: "/",
    maxAge: lifetimeSeconds,
  });
}

export function clearSessionCookie(c: Context, secure: boolean) {
  deleteCookie(c, sessionCookie, { path: "/", secure });
}
