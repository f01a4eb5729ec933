// The README's main job as a newcomer runs it: `npm start`'s entry point in its own process (tsx, the root tsconfig),
// serving the grid and the API; a second start reuses the data and syncs only what changed.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dataDir = mkdtempSync(join(tmpdir(), "reckon-start-"));
const running: ChildProcess[] = [];

/** Starts `tsx apps/api/src/main.ts` and resolves with its URL and everything it printed until ready. */
function start(): Promise<{ url: string; output: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", "apps/api/src/main.ts"], {
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      RECKON_DATA_DIR: dataDir,
      RECKON_DEMO_ACCOUNTS: "15",
      RECKON_DEMO_MONTHS: "3",
      RECKON_AS_OF: "2026-11-25",
      DATABASE_URL: "",
      REDIS_URL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) resolve({ url: match[1]!.replace("localhost", "127.0.0.1"), output, child });
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    child.once("exit", (code) => reject(new Error(`npm start's entry exited with ${code}:\n${output}`)));
  });
}

async function stop(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

afterAll(async () => {
  for (const child of running) if (child.exitCode === null) child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start", () => {
  it("syncs, reconciles and serves the grid; a second start reuses the data", async () => {
    const first = await start();
    expect(first.output).toMatch(/quickbooks: Invoice page 1/);
    expect(first.output).toMatch(/reconciled 15 accounts/);
    const page = await fetch(`${first.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Portfolio");
    const api = (await (await fetch(`${first.url}/v1/portfolio?limit=100`)).json()) as { rows: unknown[] };
    expect(api.rows).toHaveLength(15);
    await stop(first.child);

    const second = await start();
    expect(second.output).not.toMatch(/Invoice page/);
    expect(second.output).toMatch(/quickbooks: changes since .* \(0 changed\)/);
    const again = (await (await fetch(`${second.url}/v1/portfolio?limit=100`)).json()) as { rows: unknown[] };
    expect(again.rows).toHaveLength(15);
    expect((await fetch(`${second.url}/`)).status).toBe(200);
    await stop(second.child);
  });
});
