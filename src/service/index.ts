/**
 * Service mode. Embedded (no Redis): `startService` runs the API, crawls, schedules and push
 * events in one process. The coordinator and the event sink implement the API's interfaces, so
 * queue mode (BullMQ) can replace them without touching the API.
 */
export { startService, CRAWL_STOP_GRACE_MS, type RunningService, type ServiceOptions } from './service.js';
export { loadConfigFile, parseConfig, type ServiceConfigFile } from './config-file.js';
export { IndexRegistryStore, type RegistryChange, type RegistryChangeListener } from './registry-store.js';
export { EmbeddedCoordinator, DEFAULT_MAX_CRAWLS, type CoordinatorOptions } from './coordinator.js';
export { EmbeddedEventSink, DEFAULT_MAX_PENDING_EVENTS, type EventSinkOptions } from './event-sink.js';
export { Scheduler, type SchedulerOptions } from './scheduler.js';
export { nextFireTime, scheduleProblem, SCHEDULE_TIME_ZONE } from './schedule.js';
export { ClientPool, clientOptions, type ClientDefaults } from './registry-clients.js';
export { runShutdown, type ShutdownStep } from './shutdown.js';
export { streamLogger, silentLogger, type ServiceLogger } from './logger.js';
export { systemTimers, MAX_TIMER_DELAY_MS, type Timers } from './timers.js';
