// Who is looking at a web page: what the header shows about them, and what the page may offer them.
import { can, type TenantContext, type UserRole } from "@reckon/core";
import type { AppDeps } from "../app";

export interface Viewer {
  name: string;
  role: UserRole;
  /** The workspace's short name; null when this process cannot tell (see viewerOf). */
  workspace: string | null;
  /** The session's CSRF token every POST form carries ("" for an API token, which needs none). */
  csrfToken: string;
  /** May press Refresh ("sync.refresh"). */
  canRefresh: boolean;
  /** May export CSV and PDF ("exports.create"; account managers their own accounts). */
  canExport: boolean;
  /** An account manager: every read is narrowed to the accounts they own. */
  ownAccountsOnly: boolean;
}

/** The viewer of a signed-in request; null for the system actor, which never browses. */
export function viewerOf(
  ctx: TenantContext,
  csrfToken: string | undefined,
  deps: Pick<AppDeps, "demo">,
): Viewer | null {
  const actor = ctx.actor;
  if (actor.kind !== "user") return null;
  return {
    name: actor.name,
    role: actor.role,
    // The embedded default serves its demo tenant only, so that is the workspace. The context does not carry the
    // tenant's slug yet, so with real tenants the header leaves it out.
    workspace: deps.demo?.workspace ?? null,
    csrfToken: csrfToken ?? "",
    canRefresh: can(actor, "sync.refresh"),
    canExport: can(actor, "exports.create"),
    ownAccountsOnly: actor.role === "account_manager",
  };
}

/** A local path to return to after sign-in, or "/": never another site ("//host", "/\host") or a control character. */
export function localPath(next: string | undefined): string {
  if (!next || next.length > 2000 || !next.startsWith("/")) return "/";
  if (next.startsWith("//") || next.startsWith("/\\")) return "/";
  // Browsers drop tabs and newlines from URLs ("/\t/evil" becomes "//evil") and read "\" as "/"; a path we made
  // ourselves has neither (URLs percent-encode them), so any is refused.
  if ([...next].some((ch) => ch <= " " || ch === "\u007f" || ch === "\\")) return "/";
  return next;
}

/** The sign-in page, coming back to the same path (ours only: never another site) afterwards. */
export function signInHref(url: string): string {
  const { pathname, search } = new URL(url, "http://reckon.local");
  return `/sign-in?${new URLSearchParams({ next: `${pathname}${search}` })}`;
}
