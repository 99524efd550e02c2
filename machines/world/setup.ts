import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { balanceOf, emptyLedger, openAccount, openAccounts, type Ledger } from '../../domain/economy/ledger';
import { randomStream } from '../../domain/economy/random';
import { emission, type Emission } from '../event-bus';
import { registerService } from '../tools/service';
import { DEFAULT_PRICES, type WorldConfig } from './config';
import type { WorldState, WorldStep } from './state';

/** Opens every agent's account; each one refused is reported with where it is in the configuration. */
function openAgentAccounts(config: WorldConfig, problems: string[]): Ledger {
  const { ledger, refusals } = openAccounts(
    emptyLedger,
    config.agents.map(({ id, balance }) => ({ agent_id: id, balance })),
  );
  for (const { index, error } of refusals) {
    const { id, balance } = config.agents[index]!;
    problems.push(`agents[${index}] (${id}): ${error.kind === 'account_exists' ? 'duplicate agent id' : `invalid balance ${balance}`}`);
  }
  return ledger;
}

/**
 * The world before its first cycle: an account for every agent (and for a service provider that is
 * not an agent), the configured services, and the events that announce them. Every problem with the
 * configuration is reported, each with where it is.
 */
export function initialWorld(config: WorldConfig): Either<string[], WorldStep> {
  const problems: string[] = [];
  if (!Number.isInteger(config.cycles) || config.cycles < 1) problems.push(`cycles: expected a positive integer, got ${config.cycles}`);
  const ledger = openAgentAccounts(config, problems);
  const emissions: Emission[] = config.agents
    .filter(({ id }) => Object.hasOwn(ledger.balances, id))
    .map(({ id }) => emission('agent_created', id, { agent_id: id, initial_balance: balanceOf(ledger, id) }));
  let world: WorldState = {
    cycle: 0,
    ledger,
    prices: config.prices ?? DEFAULT_PRICES,
    services: new Map(),
    prompts: [],
    promptsSubmitted: 0,
    spawned: 0,
    sleepers: new Map(),
    random: randomStream(config.seed),
  };
  (config.services ?? []).forEach((offer, index) => {
    if (world.services.has(offer.service_name)) {
      problems.push(`services[${index}]: service ${offer.service_name} is offered twice`);
      return;
    }
    if (!Object.hasOwn(world.ledger.balances, offer.provider)) {
      const opened = openAccount(world.ledger, offer.provider, 0);
      if (isLeft(opened)) {
        problems.push(`services[${index}]: cannot open an account for provider ${offer.provider}: ${opened.left.kind}`);
        return;
      }
      world = { ...world, ledger: opened.right };
    }
    world = registerService(world, offer);
    emissions.push(
      emission('service_registered', offer.provider, { agent_id: offer.provider, service_name: offer.service_name, advertised_cost: offer.cost }),
    );
  });
  return problems.length > 0 ? left(problems) : right({ world, emissions });
}
