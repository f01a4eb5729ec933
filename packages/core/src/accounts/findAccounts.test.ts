import { queryRows } from "@reckon/db";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type SettingsWorld, settingsWorld } from "../settings/testTenant";
import { editDistance, findAccounts } from "./findAccounts";

let world: SettingsWorld;
const names = ["Acme Analytics", "Acme Robotics", "Globex Corporation", "Initech", "Umbrella Health", "Acme"];
const ids = new Map<string, string>();

beforeAll(async () => {
  world = await settingsWorld();
  for (const [i, name] of names.entries()) {
    const [row] = await queryRows<{ id: string }>(
      world.database.db,
      sql`insert into accounts (tenant_id, name, quickbooks_customer_id, stripe_customer_id)
          values (${world.tenant.tenantId}::uuid, ${name}, ${`qb-${i}`}, ${`cus_${i}`}) returning id`,
    );
    ids.set(name, row!.id);
  }
  await queryRows(
    world.database.db,
    sql`insert into accounts (tenant_id, name) values (${world.other.tenantId}::uuid, 'Initech Other Tenant')`,
  );
}, 60_000);

const find = (query: string, role: Parameters<SettingsWorld["as"]>[0] = "finance") =>
  findAccounts({ ctx: world.as(role), input: { query } });

describe("findAccounts", () => {
  it("finds by Reckon id and by a source's id first", async () => {
    expect(await find(ids.get("Initech")!)).toEqual([{ accountId: ids.get("Initech"), name: "Initech", match: "id" }]);
    expect((await find("cus_2"))[0]).toMatchObject({ name: "Globex Corporation", match: "id" });
  });

  it("ranks the whole name before names starting with it before names containing every word", async () => {
    const found = await find("acme");
    expect(found.map((f) => [f.name, f.match])).toEqual([
      ["Acme", "exact"],
      ["Acme Robotics", "prefix"],
      ["Acme Analytics", "prefix"],
    ]);
    expect((await find("robotics ACME")).map((f) => f.name)).toEqual(["Acme Robotics"]);
  });

  it("falls back to close spellings only when nothing contains the words", async () => {
    expect((await find("Globx")).map((f) => [f.name, f.match])).toEqual([["Globex Corporation", "similar"]]);
    expect((await find("Umbrela"))[0]?.name).toBe("Umbrella Health");
    expect(await find("Zzyzx Industries")).toEqual([]);
  });

  it("treats LIKE wildcards as text and never reaches another tenant", async () => {
    expect(await find("%")).toEqual([]);
    expect((await find("Initech")).map((f) => f.name)).toEqual(["Initech"]);
  });

  it("searches an account manager's own portfolio only", async () => {
    expect(await find("acme", "account_manager")).toEqual([]);
  });

  it("rejects an empty query", async () => {
    await expect(find("   ")).rejects.toThrow();
  });
});

describe("editDistance", () => {
  it("counts insertions, deletions and substitutions, and stops past the budget", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
    expect(editDistance("abcdef", "uvwxyz", 2)).toBe(3);
  });
});
