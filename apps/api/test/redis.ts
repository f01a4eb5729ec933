// Whether the machine's Redis answers, for suites that need BullMQ; with RECKON_REQUIRE_SERVICES=1 a silent Redis
// fails the run instead of skipping it.
import { redisUrl, servicesRequired } from "@reckon/db/testing";

export async function redisAvailable(): Promise<boolean> {
  const { Redis } = await import("ioredis");
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    if (servicesRequired)
      throw new Error(`Redis is required (RECKON_REQUIRE_SERVICES=1) but ${redisUrl} does not answer`);
    return false;
  } finally {
    client.disconnect();
  }
}
