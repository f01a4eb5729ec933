// Provider request limits: the RequestLimiter interface, an in-process and a Redis implementation, the connector gate.
export { createInProcessLimiter } from "./inProcess";
export {
  type LimitKey,
  type LimitTable,
  type Release,
  type RequestLimiter,
  requestGate,
  type SourceLimit,
  sourceLimits,
} from "./limiter";
export { createRedisLimiter, type RedisLimiterOptions } from "./redis";
