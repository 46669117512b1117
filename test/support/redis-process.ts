/** The throwaway redis-server of queue tests lives with the demo's launchers (benchmarks use it too). */
export { findRedisBinary, ping, startRedis, type RunningRedis } from '../../src/demo/redis-process.js';
