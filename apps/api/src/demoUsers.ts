// The embedded default's demo users, one of every role, and an admin API token in .reckon/demo-token so scripts
// can call the API at once. Never used with a real tenant.
import { writeFileSync } from "node:fs";
import {
  createApiToken,
  createUser,
  listApiTokens,
  listUsers,
  revokeApiToken,
  type TenantContext,
  type UserRole,
  updateUser,
  userContext,
} from "@reckon/core";
import type { DemoUser } from "./app";

/** Printed at start-up and listed on the sign-in page: the demo holds generated data only. */
export const demoPassword = "reckon-demo-password";
const demoTokenName = "demo token (npm start)";

/** The demo's staff beside the scenario's account managers: one of each other role. */
export const demoStaff: ReadonlyArray<{ role: UserRole; name: string; local: string }> = [
  { role: "admin", name: "Ada Admin", local: "admin" },
  { role: "finance", name: "Fin Ledger", local: "finance" },
  { role: "viewer", name: "Vic Viewer", local: "viewer" },
];

export const demoStaffEmail = (person: { local: string }, slug: string) =>
  `${person.local}@${slug}.reckon-demo.example.com`;

export interface DemoAccess {
  users: Array<DemoUser & { id: string }>;
  adminToken: string;
}

/** Creates (or finds) the demo users, gives every one the demo password, and issues a fresh admin token. */
export async function ensureDemoUsers(ctx: TenantContext, slug: string, tokenFile: string): Promise<DemoAccess> {
  // A second start finds them: hashing their passwords again (scrypt, ~60 ms each) would only slow it down.
  const existing = new Set((await listUsers({ ctx })).map((u) => u.email));
  for (const person of demoStaff) {
    const email = demoStaffEmail(person, slug);
    if (existing.has(email)) continue;
    await createUser({ ctx, input: { email, name: person.name, role: person.role, password: demoPassword } });
  }
  // The account managers come from the scenario's owners: they sign in with the same password.
  for (const user of await listUsers({ ctx })) {
    if (!user.canSignIn) await updateUser({ ctx, input: { userId: user.id, password: demoPassword } });
  }
  // Busiest account managers first: the sign-in page and tests pick the first of each role.
  const everyone = (await listUsers({ ctx })).sort((a, b) => b.accountsOwned - a.accountsOwned);
  const users = everyone.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    password: demoPassword,
  }));
  const admin = users.find((u) => u.role === "admin");
  if (!admin) throw new Error("demo tenant has no admin");
  const adminCtx = userContext(
    ctx,
    { tenant_id: ctx.tenant.tenantId, user_id: admin.id, ...admin },
    "token",
    "demo-startup",
  );
  // One live demo token at a time: the previous start's is revoked.
  for (const old of await listApiTokens({ ctx: adminCtx })) {
    if (old.name === demoTokenName && !old.revokedAt)
      await revokeApiToken({ ctx: adminCtx, input: { tokenId: old.id } });
  }
  const { token } = await createApiToken({ ctx: adminCtx, input: { name: demoTokenName } });
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  return { users, adminToken: token };
}
