// The load generator, in its own process so it never shares an event loop with the server it measures: reads
// { url, connections, seconds, perUserRate?, clients: [{ token, paths }] } on stdin, prints latency percentiles as JSON.
import autocannon from "autocannon";

interface LoadPlan {
  url: string;
  connections: number;
  seconds: number;
  /**
   * Requests a second each user sends on average: each waits a random (exponential) think time after an answer,
   * so arrivals are as independent as people's. Absent: autocannon's closed loop, the next request the moment the
   * last answers (the server's capacity).
   */
  perUserRate?: number;
  clients: Array<{ token: string; paths: string[] }>;
}

interface Measured {
  requests: number;
  non2xx: number;
  errors: number;
  requestsPerSec: number;
  latencies: number[];
}

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const plan = JSON.parse(Buffer.concat(chunks).toString("utf8")) as LoadPlan;

/** autocannon's closed loop: `connections` keep-alive connections, each one request in flight at all times. */
async function closedLoop(): Promise<Measured> {
  const latencies: number[] = [];
  let next = 0;
  const instance = autocannon(
    {
      url: plan.url,
      connections: plan.connections,
      duration: plan.seconds,
      setupClient: (client) => {
        const person = plan.clients[next++ % plan.clients.length]!;
        client.setHeaders({ authorization: `Bearer ${person.token}` });
        client.setRequests(person.paths.map((path) => ({ method: "GET", path })));
      },
    },
    () => {},
  );
  instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) =>
    latencies.push(responseTime),
  );
  const result = await new Promise<autocannon.Result>((resolve) => instance.on("done", resolve));
  return {
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    requestsPerSec: result.requests.average,
    latencies,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `connections` users, each: think (exponential, mean 1/rate), send, wait for the whole answer, repeat. */
async function users(rate: number): Promise<Measured> {
  const meanThinkMs = 1000 / rate;
  const deadline = performance.now() + plan.seconds * 1000;
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const user = async (index: number) => {
    const person = plan.clients[index % plan.clients.length]!;
    // Users arrive spread over the first think time, not all at once.
    await sleep(Math.random() * meanThinkMs);
    for (let i = 0; performance.now() < deadline; i++) {
      const started = performance.now();
      try {
        const response = await fetch(`${plan.url}${person.paths[i % person.paths.length]}`, {
          headers: { authorization: `Bearer ${person.token}` },
        });
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
        if (response.status < 200 || response.status > 299) non2xx++;
      } catch {
        errors++;
      }
      await sleep(-Math.log(1 - Math.random()) * meanThinkMs);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: plan.connections }, (_, i) => user(i)));
  const seconds = (performance.now() - started) / 1000;
  return { requests: latencies.length + errors, non2xx, errors, requestsPerSec: latencies.length / seconds, latencies };
}

const measured = plan.perUserRate ? await users(plan.perUserRate) : await closedLoop();
const latencies = measured.latencies.sort((a, b) => a - b);
const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
process.stdout.write(
  JSON.stringify({
    requests: measured.requests,
    non2xx: measured.non2xx,
    errors: measured.errors,
    requestsPerSec: measured.requestsPerSec,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
  }),
);
