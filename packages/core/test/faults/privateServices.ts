// A PostgreSQL 15 cluster and a Redis server private to one test file, on free ports in a temp dir, so the fault
// suite can crash and restart them without touching the machine's shared services on 5432/6379.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type DatabaseHandle, migrate, openDatabase } from "@reckon/db";
import { redisReachable } from "../jobsTestkit";

const run = promisify(execFile);
export const postgresBin = "/usr/lib/postgresql/15/bin";
const servicesRequired = process.env.RECKON_REQUIRE_SERVICES === "1";

/** Why the private services cannot start here, or null when they can. */
export function missingBinaries(): string | null {
  if (!existsSync(join(postgresBin, "initdb"))) return `PostgreSQL 15 binaries not found under ${postgresBin}`;
  if (!["/usr/bin/redis-server", "/usr/local/bin/redis-server"].some(existsSync)) return "redis-server not found";
  return null;
}

/** Missing binaries skip the suite locally and fail it in CI (RECKON_REQUIRE_SERVICES=1), never silently. */
export function privateServicesAvailable(): boolean {
  const missing = missingBinaries();
  if (missing && servicesRequired) throw new Error(`${missing}: the fault suite needs it (RECKON_REQUIRE_SERVICES=1)`);
  if (missing) console.warn(`Skipping the fault suite: ${missing} (set RECKON_REQUIRE_SERVICES=1 to fail instead)`);
  return missing === null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export interface PrivatePostgres {
  /** postgres:// URL of the migrated `reckon` database. */
  url: string;
  /** A migrated database handle on `url` (postgres.js reconnects by itself after a restart). */
  open(): Promise<DatabaseHandle>;
  /**
   * Stops the cluster and starts it again: `fast` ends every session cleanly (a planned restart, a failover), while
   * `immediate` drops them like a crash (no checkpoint: recovery replays the WAL).
   */
  restart(mode: "fast" | "immediate"): Promise<void>;
  stop(): Promise<void>;
}

/** initdb and postgres refuse to run as root: as root, run them as the `postgres` OS user. */
const asPostgres = (binary: string, args: string[]) =>
  process.getuid?.() === 0
    ? run("runuser", ["-u", "postgres", "--", join(postgresBin, binary), ...args])
    : run(join(postgresBin, binary), args);

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), "reckon-faults-pg-"));
  chmodSync(dir, 0o700);
  if (process.getuid?.() === 0) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = join(dir, "data");
  const port = await freePort();
  await asPostgres("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  // fsync off: a crash of the test machine is not a case here, a crash of the server is (and WAL replay covers it).
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const ctl = (...args: string[]) => asPostgres("pg_ctl", ["-D", data, "-l", join(dir, "log"), "-w", ...args]);
  await ctl("-o", options, "start");
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const url = `postgres://postgres@127.0.0.1:${port}/reckon`;
  const adminHandle = await openDatabase({ kind: "postgres", url: admin, maxConnections: 1 });
  await adminHandle.postgres!.unsafe("create database reckon");
  await adminHandle.close();
  const first = await openDatabase({ kind: "postgres", url, maxConnections: 1 });
  await migrate(first);
  await first.close();
  return {
    url,
    open: () => openDatabase({ kind: "postgres", url }),
    restart: async (mode) => {
      await ctl("-m", mode, "stop");
      await ctl("-o", options, "start");
    },
    stop: async () => {
      await ctl("-m", "immediate", "stop").catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivateRedis {
  url: string;
  /** Kills the server and starts an empty one on the same port (no persistence: every key is gone). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let server: ChildProcess | null = null;
  const start = async () => {
    server = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: "ignore" },
    );
    await until(() => redisReachable(url), `redis on ${port}`);
  };
  const kill = async () => {
    const current = server;
    server = null;
    if (!current || current.exitCode !== null) return;
    const exited = new Promise((resolve) => current.once("exit", resolve));
    current.kill("SIGKILL");
    await exited;
  };
  await start();
  return {
    url,
    restart: async () => {
      await kill();
      await start();
    },
    stop: kill,
  };
}

/** Polls `check` every 50 ms until it holds; throws after `timeoutMs` naming what it waited for. */
export async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
