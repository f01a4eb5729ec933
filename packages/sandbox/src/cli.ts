// Command line: `tsx packages/sandbox/src/cli.ts generate --seed 7 --accounts 200 --months 12 --as-of 2026-11-25 --out dir`.
import { parseArgs } from "node:util";
import { writeFixture } from "./fixture.js";
import { generateScenario } from "./generate/index.js";

const usage =
  "usage: cli.ts generate --seed N --accounts N --months N --as-of YYYY-MM-DD --out <folder> [--discrepancy-rate 0.15]";

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== "generate") {
    console.error(usage);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      seed: { type: "string", default: "7" },
      accounts: { type: "string", default: "200" },
      months: { type: "string", default: "12" },
      "as-of": { type: "string" },
      out: { type: "string" },
      "discrepancy-rate": { type: "string" },
    },
  });
  if (!values.out || !values["as-of"]) {
    console.error(usage);
    return 2;
  }
  const whole = (name: string, text: string) => {
    if (!/^-?\d+$/.test(text)) throw new Error(`--${name} must be a whole number, got ${text}`);
    return Number(text);
  };
  const scenario = generateScenario({
    seed: whole("seed", values.seed),
    accounts: whole("accounts", values.accounts),
    months: whole("months", values.months),
    asOf: values["as-of"],
    ...(values["discrepancy-rate"] ? { discrepancyRate: Number(values["discrepancy-rate"]) } : {}),
  });
  await writeFixture(values.out, scenario);
  console.log(
    `wrote ${values.out}: ${scenario.quickbooks.customers.length} accounts, ${scenario.quickbooks.invoices.length} invoices, ` +
      `${scenario.stripe.charges.length} charges, ${scenario.amplitude.events.length} usage events, ` +
      `${scenario.manifest?.entries.length ?? 0} injected discrepancies`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
