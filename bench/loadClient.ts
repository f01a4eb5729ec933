// The load generator, in its own process so it never shares an event loop with the server it measures: reads
// { url, connections, seconds, clients: [{ token, paths }] } on stdin, prints latency percentiles as JSON.
import autocannon from "autocannon";

interface LoadPlan {
  url: string;
  connections: number;
  seconds: number;
  clients: Array<{ token: string; paths: string[] }>;
}

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const plan = JSON.parse(Buffer.concat(chunks).toString("utf8")) as LoadPlan;

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
latencies.sort((a, b) => a - b);
const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    requestsPerSec: result.requests.average,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
  }),
);
