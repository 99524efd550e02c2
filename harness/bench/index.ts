/** What the rest of the harness may use of bench/: everything else in the folder is its own. */
export { benchClearing, BID_COUNT, CLEARING_RUNS } from './clearing';
export { runPlainEconomy } from './plain-economy';
export { benchPlain, benchPopulation, populationConfig, runToEnd, type PopulationRun } from './population';
export { runPopulationApart, type ApartRun } from './population-apart';
export { type BenchRun, checkTargets, targetsHelp, targetsJson, targetsTable } from './targets';
export { peakRssMb, ratio, round, timed } from './timing';
