// The actor a verb runs for, and the permission table every surface checks against (SPEC "Roles").
import type { ActionSurface, UserRole } from "@reckon/db";

export type Via = "session" | "token" | "slack" | "hubspot" | "salesforce";

export type Actor =
  | { kind: "system"; via: "job" | "startup" }
  | {
      kind: "user";
      userId: string;
      role: UserRole;
      name: string;
      email: string;
      via: Via;
      /** The session, token or external identity the request came with. */
      credentialId: string;
    };

export type UserActor = Extract<Actor, { kind: "user" }>;

/**
 * The SPEC's matrix, one row per permission. `accounts.read` for an account manager is limited to their own
 * portfolio by every verb that reads accounts (see ownerFilter), so it is allowed here and narrowed there.
 * Webhooks have no row on purpose: no user may deliver them; the provider's signature is their credential (the
 * route guard's "signature" access), so every role and signed-out callers alike get 401 without one.
 */
export const permissionMatrix = {
  "accounts.read": { admin: true, finance: true, account_manager: true, viewer: true },
  "payments.retry.request": { admin: true, finance: false, account_manager: true, viewer: false },
  "payments.retry.approve": { admin: true, finance: true, account_manager: false, viewer: false },
  "flags.create": { admin: true, finance: true, account_manager: true, viewer: false },
  "flags.resolve": { admin: true, finance: true, account_manager: false, viewer: false },
  "exports.create": { admin: true, finance: true, account_manager: true, viewer: false },
  /** Manual refresh of the sources: anyone who works accounts. */
  "sync.refresh": { admin: true, finance: true, account_manager: true, viewer: false },
  "settings.manage": { admin: true, finance: false, account_manager: false, viewer: false },
  /** Accept a partial sync's gap, so its accounts return to the forecast. */
  "sync.resolve": { admin: true, finance: false, account_manager: false, viewer: false },
  "audit.read": { admin: true, finance: true, account_manager: false, viewer: true },
} as const satisfies Record<string, Record<UserRole, boolean>>;

export type Permission = keyof typeof permissionMatrix;
export const permissions = Object.keys(permissionMatrix) as Permission[];

/** Thrown by a verb when its actor lacks the permission; surfaces answer 403. */
export class AccessDenied extends Error {
  constructor(readonly permission: Permission) {
    super(`Your role does not allow this (${permission}). Ask an admin of your workspace if you need it.`);
  }
}

export function can(actor: Actor, permission: Permission): boolean {
  if (actor.kind === "system") return true;
  return permissionMatrix[permission][actor.role];
}

export function authorize(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw new AccessDenied(permission);
}

/** The surface an action came through, as flags and payment retries record it (`raised_via`, `requested_via`). */
export function surfaceOf(actor: Actor): ActionSurface {
  if (actor.kind === "system") return "api";
  switch (actor.via) {
    case "session":
      return "web";
    case "token":
      return "api";
    case "slack":
      return "slack";
    case "hubspot":
    case "salesforce":
      return "crm";
  }
}

/** The owner every account read is narrowed to: the account manager themself, or null (all accounts). */
export function ownerFilter(actor: Actor): string | null {
  return actor.kind === "user" && actor.role === "account_manager" ? actor.userId : null;
}
export type { UserRole } from "@reckon/db";
