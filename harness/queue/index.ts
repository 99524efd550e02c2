/** What the rest of the harness may use of queue/: everything else in the folder is its own. */
export { codeVersion } from './code-version';
export { checkedQueuedEvents, DEFAULT_EVENTS_PREFIX, openedLiveEvents, parsedEventsTarget, RUN_HEADER, SAMPLE_HEADER } from './live-events';
export { type RunManifest } from './messages';
export { queueProgressLine } from './progress';
export { openedQueue, QUEUE_OPTIONS, QUEUE_USAGE, SUBMIT_OPTIONS, SUBMIT_USAGE } from './queue-options';
export { QueuedArenaSeeds } from './queued-arena-seeds';
export { QueuedSamples, queueRunIdOf } from './queued-samples';
export { newQueueRunId, queuedSweep, storedManifest, sweepManifest } from './queued-sweep';
export { serveQueue, workerName } from './worker-loop';
