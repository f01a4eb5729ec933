// Where a sign-in may send the browser afterwards: our own paths only.
import { describe, expect, it } from "vitest";
import { localPath, signInHref } from "./viewer";

describe("localPath", () => {
  it("keeps a local path with its query", () => {
    expect(localPath("/")).toBe("/");
    expect(localPath("/accounts/abc?tab=invoices")).toBe("/accounts/abc?tab=invoices");
  });

  it("refuses anything that could leave the site", () => {
    for (const next of [
      undefined,
      "",
      "accounts",
      "//evil.example",
      "/\\evil.example",
      "https://evil.example/",
      "/\t/evil.example",
      "/\n/evil.example",
      "/ok\\..",
      `/${"a".repeat(2001)}`,
    ]) {
      expect(localPath(next), JSON.stringify(next)).toBe("/");
    }
  });
});

describe("signInHref", () => {
  it("carries the path and query of the page asked for, never the host", () => {
    expect(signInHref("http://localhost:3000/?q=acme&status=at_risk")).toBe(
      "/sign-in?next=%2F%3Fq%3Dacme%26status%3Dat_risk",
    );
    expect(signInHref("http://localhost:3000/accounts/1")).toBe("/sign-in?next=%2Faccounts%2F1");
  });
});
