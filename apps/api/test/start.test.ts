// The README's main job as a newcomer runs it: `npm start`'s entry point in its own process (tsx, the root tsconfig),
// printing the demo users and the demo-token path, serving the sign-in page, the grid and the API; a second start
// reuses the data, syncs only what changed and issues a fresh demo token.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
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
      // Ready once the demo access lines after the URL are out too (the curl line is the last).
      const match = /running at (http:\/\/\S+)[\s\S]*curl -H .*\n/.exec(output);
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

/** GET /v1/portfolio with the admin token start-up wrote to <data dir>/demo-token. */
async function portfolioWithDemoToken(url: string, token = readFileSync(join(dataDir, "demo-token"), "utf8").trim()) {
  return fetch(`${url}/v1/portfolio?limit=100`, { headers: { authorization: `Bearer ${token}` } });
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
    for (const role of ["admin", "finance", "account_manager", "viewer"]) {
      expect(first.output).toMatch(new RegExp(`^ +${role} +\\S+@\\S+ +password: reckon-demo-password$`, "m"));
    }
    expect(first.output).toContain(`${first.url.replace("127.0.0.1", "localhost")}/sign-in (workspace "demo")`);
    expect(first.output).toContain(`Demo admin API token in ${dataDir}/demo-token`);

    const home = await fetch(`${first.url}/`, { redirect: "manual" });
    expect(home.status).toBe(303);
    expect(home.headers.get("location")).toBe("/sign-in?next=%2F");
    const signIn = await fetch(`${first.url}/sign-in?next=%2F`);
    expect(signIn.status).toBe(200);
    expect(await signIn.text()).toContain("Demo users");

    expect((await fetch(`${first.url}/v1/portfolio`)).status).toBe(401);
    const firstToken = readFileSync(join(dataDir, "demo-token"), "utf8").trim();
    const api = await portfolioWithDemoToken(first.url);
    expect(api.status).toBe(200);
    expect(((await api.json()) as { rows: unknown[] }).rows).toHaveLength(15);
    await stop(first.child);

    const second = await start();
    expect(second.output).not.toMatch(/Invoice page/);
    expect(second.output).toMatch(/quickbooks: changes since .* \(0 changed\)/);
    const again = await portfolioWithDemoToken(second.url);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { rows: unknown[] }).rows).toHaveLength(15);
    // One live demo token at a time: the first start's is revoked.
    expect((await portfolioWithDemoToken(second.url, firstToken)).status).toBe(401);
    expect((await fetch(`${second.url}/`, { redirect: "manual" })).status).toBe(303);
    await stop(second.child);
  });
});
