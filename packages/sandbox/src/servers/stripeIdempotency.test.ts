// Stripe's idempotent requests as the sandbox keeps them: one execution per key, the saved answer replayed (even an
// error), the key refused with other parameters or an unusable length, and a key pruned after its 24 hours.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createIdempotencyStore } from "./stripeIdempotency.js";
import { parseStripeQuery } from "./stripeList.js";

/** An endpoint that counts its executions and answers what the test says, behind one store with a movable clock. */
function endpoint(answer: (n: number) => { status: number; body: unknown } = (n) => ({ status: 200, body: { n } })) {
  let clock = 0;
  let executions = 0;
  const store = createIdempotencyStore(() => clock);
  const app = new Hono();
  app.post("/v1/things/:id", async (c) => {
    const params = parseStripeQuery(await c.req.text());
    return store.answer(c, params, () => answer(++executions));
  });
  const post = (body: string, key?: string, path = "/v1/things/a") =>
    app.request(path, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(key === undefined ? {} : { "Idempotency-Key": key }),
      },
    });
  return { post, executions: () => executions, advance: (ms: number) => (clock += ms) };
}

describe("createIdempotencyStore", () => {
  it("runs a key once and replays its answer, whatever order the parameters come in", async () => {
    const e = endpoint();
    const first = await e.post("a=1&b=2", "k1");
    const again = await e.post("b=2&a=1", "k1");
    expect(first.status).toBe(200);
    expect(await again.json()).toEqual({ n: 1 });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(e.executions()).toBe(1);
  });

  it("replays an error answer too, as Stripe saves a 402 or a 500 for its key", async () => {
    const e = endpoint((n) => ({ status: 500, body: { error: { type: "api_error", message: `failure ${n}` } } }));
    await e.post("a=1", "k-err");
    const again = await e.post("a=1", "k-err");
    expect(again.status).toBe(500);
    expect(await again.json()).toMatchObject({ error: { message: "failure 1" } });
    expect(e.executions()).toBe(1);
  });

  it("refuses the key with other parameters or another path, and keys of an unusable length", async () => {
    const e = endpoint();
    await e.post("a=1", "k2");
    for (const other of [await e.post("a=2", "k2"), await e.post("a=1", "k2", "/v1/things/b")]) {
      expect(other.status).toBe(400);
      expect(await other.json()).toMatchObject({ error: { type: "idempotency_error" } });
    }
    expect((await e.post("a=1", "")).status).toBe(400);
    expect((await e.post("a=1", "k".repeat(256))).status).toBe(400);
    expect(e.executions()).toBe(1);
  });

  it("runs every request without a key, and a key again once 24 hours have pruned it", async () => {
    const e = endpoint();
    await e.post("a=1");
    await e.post("a=1");
    expect(e.executions()).toBe(2);
    await e.post("a=1", "k3");
    e.advance(24 * 3600 * 1000 - 1);
    await e.post("a=1", "k3");
    expect(e.executions()).toBe(3);
    e.advance(1);
    expect(await (await e.post("a=1", "k3")).json()).toEqual({ n: 4 });
  });
});
