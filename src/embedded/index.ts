/**
 * Embedded mode (no Redis): `startService` runs the API, crawls, schedules and push events in
 * one process. The coordinator and the event sink implement the API's ports, so queue mode
 * (BullMQ) replaces them without touching the API. Shared plumbing lives in src/runtime.
 */
export { startService, CRAWL_STOP_GRACE_MS, type RunningService, type ServiceOptions } from './service.js';
export { EmbeddedCoordinator, DEFAULT_MAX_CRAWLS, type CoordinatorOptions } from './coordinator.js';
export { EmbeddedEventSink, DEFAULT_MAX_PENDING_EVENTS, type EventSinkOptions } from './event-sink.js';
export { Scheduler, type SchedulerOptions } from './scheduler.js';
export { Leadership, LEAD_POLL_MS, SCHEDULER_LEAD, type LeadershipOptions } from './leadership.js';
