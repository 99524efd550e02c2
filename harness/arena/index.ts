/** What the rest of the harness may use of arena/: everything else in the folder is its own. */
export { renderArenaHtml } from './arena-html';
export { type ArenaLine, type ArenaLog, type ArenaLogLine, readArenaLog } from './arena-log';
export { arenaCsv, type ArenaDescription, arenaReport, arenaTable } from './arena-report';
export { type ArenaSetup, runArenaSeed, type SeedResult } from './arena-world';
export { ARENA_SUBMISSION, JUDGED_CRITERIA } from './judged-human';
export { ArenaPlan, plannedArena } from './arena-plan';
export { SeedResultCodec } from './arena-log';
