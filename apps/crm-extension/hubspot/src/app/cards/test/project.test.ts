// The HubSpot project's files agree with each other and with the code: HubSpot only finds out at upload time.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { API_BASE_URL } from "../config";

const cardsDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const srcDir = join(cardsDir, "..", "..");
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));

describe("HubSpot project", () => {
  const project = readJson(join(srcDir, "..", "hsproject.json"));
  const app = readJson(join(srcDir, "app", "app-hsmeta.json"));
  const card = readJson(join(cardsDir, "reckon-billing-card-hsmeta.json"));

  it("is a 2025.2 project whose sources are in src/", () => {
    expect(project).toMatchObject({ srcDir: "src", platformVersion: "2025.2" });
  });

  it("lets the card fetch from the API base URL the card uses", () => {
    expect(app.config.permittedUrls.fetch).toContain(API_BASE_URL);
    expect(API_BASE_URL).toMatch(/^https:\/\/[^/]+$/);
  });

  it("asks for the company scopes the card and the write-back need", () => {
    expect(app.config.auth.requiredScopes).toEqual(
      expect.arrayContaining(["crm.objects.companies.read", "crm.objects.companies.write"]),
    );
  });

  it("puts the card on company records, with an entry point that exists", () => {
    expect(card).toMatchObject({ type: "card", config: { location: "crm.record.tab", objectTypes: ["companies"] } });
    const entrypoint = String(card.config.entrypoint);
    expect(entrypoint.startsWith("/app/cards/")).toBe(true);
    expect(existsSync(join(srcDir, entrypoint))).toBe(true);
  });
});
