import { agentMachine, orchestratorMachine, schedulerMachine, machineGraph } from '../../machines';
import { stateDiagram, type StateDiagram } from './state-diagram';

/** The machines whose statecharts a sample's page shows, laid out once per process. */
const SHOWN_MACHINES = [orchestratorMachine, schedulerMachine, agentMachine];

let diagrams: Promise<StateDiagram[]> | undefined;

export function machineDiagrams(): Promise<StateDiagram[]> {
  diagrams ??= Promise.all(SHOWN_MACHINES.map((machine) => stateDiagram(machineGraph(machine))));
  return diagrams;
}
