// Fixture folders: a scenario as plain JSON files a person can write by hand (format in README.md), read and written.
import { mkdir, open, readFile, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { z } from "zod";
import {
  amplitudeEventSchema,
  manifestSchema,
  quickbooksSchemas,
  stripeSchemas,
  tenantSchema,
} from "./fixtureSchemas.js";
import type { AmplitudeExportEvent, Scenario, TenantFixture } from "./scenario.js";

export class FixtureError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = "FixtureError";
  }
}

const stripeFiles = {
  customers: "stripe/customers.json",
  invoices: "stripe/invoices.json",
  charges: "stripe/charges.json",
  paymentIntents: "stripe/payment_intents.json",
  refunds: "stripe/refunds.json",
  disputes: "stripe/disputes.json",
  events: "stripe/events.json",
} as const;

async function readText(dir: string, file: string): Promise<string | null> {
  try {
    return await readFile(join(dir, file), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("");
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problems)` : "";
  return `${path ? `at ${path.replace(/^\./, "")}: ` : ""}${issue.message}${more}`;
}

function check<T>(file: string, schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new FixtureError(file, describe(parsed.error));
  return parsed.data;
}

async function readJson<T>(dir: string, file: string, schema: z.ZodType<T>, fallback: T): Promise<T> {
  const text = await readText(dir, file);
  if (text === null) return fallback;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FixtureError(file, `not valid JSON (${(error as Error).message})`);
  }
  return check(file, schema, value);
}

async function readEvents(dir: string): Promise<AmplitudeExportEvent[]> {
  const file = "amplitude/events.jsonl";
  const text = await readText(dir, file);
  if (text === null) return [];
  const events: AmplitudeExportEvent[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new FixtureError(file, `line ${i + 1} is not valid JSON`);
    }
    const parsed = amplitudeEventSchema.safeParse(value);
    if (!parsed.success) throw new FixtureError(file, `line ${i + 1}: ${describe(parsed.error)}`);
    events.push(parsed.data as AmplitudeExportEvent);
  }
  return events;
}

export async function loadFixture(dir: string): Promise<Scenario> {
  const folder = resolve(dir);
  const [customers, invoices, charges, paymentIntents, refunds, disputes, events] = await Promise.all([
    readJson(folder, stripeFiles.customers, stripeSchemas.customers, []),
    readJson(folder, stripeFiles.invoices, stripeSchemas.invoices, []),
    readJson(folder, stripeFiles.charges, stripeSchemas.charges, []),
    readJson(folder, stripeFiles.paymentIntents, stripeSchemas.payment_intents, []),
    readJson(folder, stripeFiles.refunds, stripeSchemas.refunds, []),
    readJson(folder, stripeFiles.disputes, stripeSchemas.disputes, []),
    readJson(folder, stripeFiles.events, stripeSchemas.events, []),
  ]);
  const [company, qboCustomers, items, qboInvoices, payments, usage, tenant, manifest] = await Promise.all([
    readJson(folder, "quickbooks/company.json", quickbooksSchemas.company, { realmId: "9341000000000000" }),
    readJson(folder, "quickbooks/Customer.json", quickbooksSchemas.Customer, []),
    readJson(folder, "quickbooks/Item.json", quickbooksSchemas.Item, []),
    readJson(folder, "quickbooks/Invoice.json", quickbooksSchemas.Invoice, []),
    readJson(folder, "quickbooks/Payment.json", quickbooksSchemas.Payment, []),
    readEvents(folder),
    readJson(folder, "tenant.json", tenantSchema, {}),
    readJson(folder, "manifest.json", manifestSchema.nullable(), null),
  ]);
  // The schemas check what the sandbox relies on; the objects are kept whole, as the provider returns them.
  const scenario = {
    stripe: { customers, invoices, charges, paymentIntents, refunds, disputes, events },
    quickbooks: { realmId: company.realmId, customers: qboCustomers, items, invoices: qboInvoices, payments },
    amplitude: { events: usage },
    manifest,
  } as unknown as Omit<Scenario, "tenant">;
  return { ...scenario, tenant: withDefaults(tenant, basename(folder), scenario) };
}

/** "API Calls", "api_call" and "api-calls" are one name: case, punctuation and a plural "s" aside. */
function sameName(a: string, b: string): boolean {
  const normal = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "")
      .replace(/s$/, "");
  return normal(a) !== "" && normal(a) === normal(b);
}

/** QuickBooks items by id with every name they go by: Item.json, and the ItemRefs on invoice lines (Item.json may be absent). */
function knownItems(scenario: Omit<Scenario, "tenant">): Array<{ id: string; names: string[] }> {
  const names = new Map<string, Set<string>>();
  const add = (id: string, name: string | undefined) => {
    if (!name) return;
    const set = names.get(id) ?? new Set<string>();
    set.add(name);
    names.set(id, set);
  };
  for (const item of scenario.quickbooks.items) {
    add(item.Id, item.Name);
    add(item.Id, item.Sku);
  }
  for (const invoice of scenario.quickbooks.invoices) {
    for (const line of invoice.Line) {
      if (line.DetailType === "SalesItemLineDetail")
        add(line.SalesItemLineDetail.ItemRef.value, line.SalesItemLineDetail.ItemRef.name);
    }
  }
  return [...names].map(([id, set]) => ({ id, names: [...set] }));
}

/** tenant.json is optional and may be partial: the rest is derived from the sources. */
function withDefaults(
  input: z.infer<typeof tenantSchema>,
  folderName: string,
  scenario: Omit<Scenario, "tenant">,
): TenantFixture {
  const derivedMetrics = () => {
    const eventTypes = [...new Set(scenario.amplitude.events.map((event) => event.event_type))].sort();
    const items = knownItems(scenario);
    return eventTypes.map((eventType) => ({
      key: eventType,
      unit: eventType,
      eventType,
      quickbooksItemIds: items
        .filter((item) => item.names.some((name) => sameName(name, eventType)))
        .map((item) => item.id)
        .sort(),
    }));
  };
  const tenant: TenantFixture = {
    name: input.name ?? folderName,
    baseCurrency: input.baseCurrency ?? "USD",
    thresholdBps: input.thresholdBps ?? 500,
    amplitudeGroupType: input.amplitudeGroupType ?? "org_id",
    metrics: input.metrics ?? derivedMetrics(),
    owners: input.owners ?? [],
    accounts: input.accounts ?? [],
  };
  if (input.rateCards) tenant.rateCards = input.rateCards;
  if (input.fxRates) tenant.fxRates = input.fxRates;
  return tenant;
}

async function writeJson(dir: string, file: string, value: unknown): Promise<void> {
  const path = join(dir, file);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** JSON lines in chunks, so a large tenant never needs its whole export in one string. */
async function writeEvents(path: string, events: readonly AmplitudeExportEvent[]): Promise<void> {
  const handle = await open(path, "w");
  try {
    for (let start = 0; start < events.length; start += 10_000) {
      const chunk = events.slice(start, start + 10_000).map((event) => `${JSON.stringify(event)}\n`);
      await handle.write(chunk.join(""));
    }
  } finally {
    await handle.close();
  }
}

export async function writeFixture(dir: string, scenario: Scenario): Promise<void> {
  const folder = resolve(dir);
  await mkdir(join(folder, "amplitude"), { recursive: true });
  await Promise.all([
    writeJson(folder, "tenant.json", scenario.tenant),
    writeJson(folder, stripeFiles.customers, scenario.stripe.customers),
    writeJson(folder, stripeFiles.invoices, scenario.stripe.invoices),
    writeJson(folder, stripeFiles.charges, scenario.stripe.charges),
    writeJson(folder, stripeFiles.paymentIntents, scenario.stripe.paymentIntents),
    writeJson(folder, stripeFiles.refunds, scenario.stripe.refunds),
    writeJson(folder, stripeFiles.disputes, scenario.stripe.disputes),
    writeJson(folder, stripeFiles.events, scenario.stripe.events),
    writeJson(folder, "quickbooks/company.json", { realmId: scenario.quickbooks.realmId }),
    writeJson(folder, "quickbooks/Customer.json", scenario.quickbooks.customers),
    writeJson(folder, "quickbooks/Item.json", scenario.quickbooks.items),
    writeJson(folder, "quickbooks/Invoice.json", scenario.quickbooks.invoices),
    writeJson(folder, "quickbooks/Payment.json", scenario.quickbooks.payments),
    writeEvents(join(folder, "amplitude/events.jsonl"), scenario.amplitude.events),
    scenario.manifest ? writeJson(folder, "manifest.json", scenario.manifest) : Promise.resolve(),
  ]);
}
