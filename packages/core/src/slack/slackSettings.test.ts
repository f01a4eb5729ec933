// The tenant's Slack settings: admin only, validated, one workspace per tenant, audited, and found by team id.
import { beforeAll, describe, expect, it } from "vitest";
import { AccessDenied } from "../access/actor";
import { type SettingsWorld, settingsWorld } from "../settings/testTenant";
import { getSlackSettings, saveSlackSettings, tenantOfSlackTeam } from "./slackSettings";

let world: SettingsWorld;
beforeAll(async () => {
  world = await settingsWorld();
}, 60_000);

describe("Slack settings", () => {
  it("saves the workspace with the default digest days, sorted and deduplicated when given", async () => {
    const saved = await saveSlackSettings({
      ctx: world.as("admin"),
      input: { teamId: "T0ACME", financeChannelId: "C0FIN" },
    });
    expect(saved).toEqual({
      ok: true,
      settings: { teamId: "T0ACME", financeChannelId: "C0FIN", digestDaysBefore: [14, 7, 3, 1], digestHour: 9 },
    });
    const days = await saveSlackSettings({
      ctx: world.as("admin"),
      input: { teamId: "T0ACME", financeChannelId: "C0FIN", digestDaysBefore: [1, 30, 7, 7], digestHour: 8 },
    });
    expect(days.ok && days.settings.digestDaysBefore).toEqual([30, 7, 1]);
    expect(await tenantOfSlackTeam(world.as("admin"), "T0ACME")).toBe(world.tenant.tenantId);
    const audit = await world.auditRows();
    expect(audit.filter((a) => a.action === "slack_settings.updated")).toHaveLength(2);
  });

  it("refuses another tenant the same workspace, and changes nothing", async () => {
    const other = await saveSlackSettings({ ctx: world.as("admin", world.other), input: { teamId: "T0ACME" } });
    expect(other).toEqual({ ok: false, reason: "team_taken" });
    expect(await getSlackSettings({ ctx: world.as("admin", world.other) })).toBeNull();
    expect(await tenantOfSlackTeam(world.as("admin"), "T0ACME")).toBe(world.tenant.tenantId);
  });

  it("refuses bad ids and hours, and every role but admin", async () => {
    const ctx = world.as("admin");
    await expect(saveSlackSettings({ ctx, input: { teamId: "acme" } })).rejects.toThrow(/team id/);
    await expect(saveSlackSettings({ ctx, input: { teamId: "T0ACME", digestHour: 24 } })).rejects.toThrow();
    await expect(
      saveSlackSettings({ ctx, input: { teamId: "T0ACME", financeChannelId: "#finance" } }),
    ).rejects.toThrow();
    for (const role of ["finance", "account_manager", "viewer"] as const) {
      await expect(saveSlackSettings({ ctx: world.as(role), input: { teamId: "T0ACME" } })).rejects.toThrow(
        AccessDenied,
      );
      await expect(getSlackSettings({ ctx: world.as(role) })).rejects.toThrow(AccessDenied);
    }
    expect((await getSlackSettings({ ctx }))?.digestHour).toBe(8);
  });
});
