import { describe, expect, it } from "vitest";
import { createdFilter, page, parseStripeQuery } from "./stripeList.js";

describe("Stripe list semantics", () => {
  it("parses bracketed form keys into nested values and arrays", () => {
    expect(
      parseStripeQuery("?created[gte]=10&created[lt]=20&types[0]=a&types[1]=b&expand[]=data.customer&limit=3"),
    ).toEqual({
      created: { gte: "10", lt: "20" },
      types: ["a", "b"],
      expand: ["data.customer"],
      limit: "3",
    });
  });

  it("filters on created bounds and pages newest first with ties broken by id", () => {
    const inRange = createdFilter({ gte: "10", lt: "20" });
    expect([9, 10, 19, 20].map(inRange)).toEqual([false, true, true, false]);
    const items = [
      { id: "a", created: 1 },
      { id: "b", created: 2 },
      { id: "c", created: 2 },
    ];
    expect(page(items, { limit: "2" }, "/v1/x", "x")).toEqual({
      object: "list",
      data: [items[2], items[1]],
      has_more: true,
      url: "/v1/x",
    });
    expect(page(items, { limit: "2", starting_after: "b" }, "/v1/x", "x").data).toEqual([items[0]]);
    expect(() => page(items, { starting_after: "zz" }, "/v1/x", "x")).toThrow("No such x: 'zz'");
  });
});
