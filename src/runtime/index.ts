/**
 * Process plumbing both modes of `ocidex serve` (and `ocidex worker`) share: the log, shutdown
 * steps, timers, the config file, registry configurations stored in the index and the client per
 * registry, interrupted-run cleanup, and opening the service's index, query pool and API.
 * Embedded mode (src/embedded) and queue mode (src/queue) build on it; neither imports the other.
 */
export { loadConfigFile, parseConfig, type ServiceConfigFile } from './config-file.js';
export { IndexRegistryStore, type RegistryChange, type RegistryChangeListener } from './registry-store.js';
export { nextFireTime, scheduleProblem, SCHEDULE_TIME_ZONE } from './schedule.js';
export { ClientPool, clientOptions, type ClientDefaults } from './registry-clients.js';
export { runShutdown, type ShutdownStep } from './shutdown.js';
export { streamLogger, silentLogger, type ServiceLogger } from './logger.js';
export { systemTimers, MAX_TIMER_DELAY_MS, type Timers } from './timers.js';
export { openQueryPool, openServiceIndex, type BaseServiceOptions } from './open-service.js';
export { serviceMetrics, startServiceApi, type ServiceApiParts } from './service-api.js';
