// The delay, malformed-body and let-through switches, as a plain HTTP client sees them on each provider fake.
import { unzipSync } from "fflate";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateScenario } from "../generate/index.js";
import { type RunningSandbox, startSandbox } from "../sandbox.js";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox(generateScenario({ seed: 4, accounts: 12, months: 3, asOf: "2026-11-25" }));
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.faults.reset());

const customers = () =>
  fetch(`http://127.0.0.1:${sandbox.stripe.port}/v1/customers?limit=5`, {
    headers: { Authorization: `Bearer ${sandbox.stripe.apiKey}` },
  });
const qboQuery = () =>
  fetch(`${sandbox.quickbooks.baseUrl}${sandbox.quickbooks.realmId}/query?query=select%20*%20from%20Customer`, {
    headers: { Authorization: `Bearer ${sandbox.quickbooks.accessToken}` },
  });
const amplitudeExport = () =>
  fetch(`${sandbox.amplitude.baseUrl}/api/2/export?start=20261001T00&end=20261101T00`, {
    headers: {
      Authorization: `Basic ${Buffer.from(`${sandbox.amplitude.apiKey}:${sandbox.amplitude.secretKey}`).toString("base64")}`,
    },
  });

describe("fault switches for bodies and delays", () => {
  it("broken_json answers 200 with a body that is not JSON, then the real answer again", async () => {
    sandbox.faults.malformNext("stripe", 1, "broken_json");
    const broken = await customers();
    expect(broken.status).toBe(200);
    await expect(broken.json()).rejects.toThrow();
    expect(((await (await customers()).json()) as { object: string }).object).toBe("list");
  });

  it("truncated cuts the real answer in half", async () => {
    const whole = await (await qboQuery()).text();
    sandbox.faults.malformNext("quickbooks", 1, "truncated");
    const cut = await qboQuery();
    expect(cut.status).toBe(200);
    const text = await cut.text();
    expect(text).toBe(whole.slice(0, Math.floor(whole.length / 2)));
  });

  it("wrong_shape answers well-formed data of the wrong shape", async () => {
    sandbox.faults.malformNext("stripe", 1, "wrong_shape");
    expect(Array.isArray(((await (await customers()).json()) as { data: unknown }).data)).toBe(false);
    sandbox.faults.malformNext("quickbooks", 1, "wrong_shape");
    expect(
      Array.isArray(
        ((await (await qboQuery()).json()) as { QueryResponse: { Customer: unknown } }).QueryResponse.Customer,
      ),
    ).toBe(false);
    sandbox.faults.malformNext("amplitude", 1, "wrong_shape");
    const files = unzipSync(new Uint8Array(await (await amplitudeExport()).arrayBuffer()));
    expect(Object.keys(files)).toHaveLength(1);
    sandbox.faults.malformNext("amplitude", 1, "broken_json");
    const notZip = new Uint8Array(await (await amplitudeExport()).arrayBuffer());
    expect(() => unzipSync(notZip)).toThrow();
  });

  it("delayNext holds a request while later ones are answered, then answers it normally", async () => {
    sandbox.faults.delayNext("stripe", 1, 500);
    const order: string[] = [];
    const held = customers().then((answer) => order.push(`held ${answer.status}`));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await customers().then((answer) => order.push(`next ${answer.status}`));
    await held;
    expect(order).toEqual(["next 200", "held 200"]);
  });

  it("letThrough places the next fault after that many untouched requests", async () => {
    sandbox.faults.letThrough("amplitude", 1);
    sandbox.faults.failNext("amplitude", 1, 503);
    expect((await amplitudeExport()).status).toBe(200);
    expect((await amplitudeExport()).status).toBe(503);
    expect((await amplitudeExport()).status).toBe(200);
  });
});
