import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { transfer } from '../../domain/economy/ledger';
import { fork, nextFloat } from '../../domain/economy/random';
import { emission } from '../event-bus';
import type { Outcome } from '../../domain/economy/events';
import type { ServiceOffer } from '../world/config';
import type { RegisteredService, WorldState } from '../world/state';
import { defineTool, EXECUTING_ONLY, failed, refused, refusedBy, succeeded } from './tool';
import { Credits } from '../../domain/economy/credits';
import { Probability } from '../../domain/codec/numbers';

export function registerService(world: WorldState, offer: ServiceOffer): WorldState {
  const service: RegisteredService = {
    provider: offer.provider,
    service_name: offer.service_name,
    cost: offer.cost,
    success_rate: offer.success_rate ?? 1,
    outcomes: offer.outcomes ?? [],
    random: fork(world.random, `service:${offer.provider}`),
  };
  return { ...world, services: new Map(world.services).set(offer.service_name, service) };
}

export const register = defineTool({
  name: 'service.register',
  description:
    'Offer a service other agents can invoke by `service_name`: each invocation pays you `cost` credits (>= 0) and succeeds with probability `success_rate` (0 to 1, default 1). Refused if another agent already offers that name. Answers {service_name}.',
  arguments: t.intersection([t.type({ service_name: t.string, cost: Credits }), t.partial({ success_rate: Probability })]),
  phases: EXECUTING_ONLY,
  performer: {
    by: 'orchestrator',
    perform: (world, { service_name, cost, success_rate }, { agent_id }) => {
      const existing = world.services.get(service_name);
      if (existing !== undefined && existing.provider !== agent_id) {
        return failed(world, 'service_exists', { service_name, provider: existing.provider });
      }
      const registered = registerService(world, { provider: agent_id, service_name, cost, success_rate });
      const event = emission('service_registered', agent_id, { agent_id, service_name, advertised_cost: cost });
      return succeeded(registered, [event], { service_name });
    },
  },
});

/** The next scripted result if any are left, else a draw against the success rate. */
function resultOf(service: RegisteredService): { result: Outcome; service: RegisteredService } {
  const [scripted, ...rest] = service.outcomes;
  if (scripted !== undefined) return { result: scripted, service: { ...service, outcomes: rest } };
  const [draw, random] = nextFloat(service.random);
  return { result: draw < service.success_rate ? 'success' : 'failure', service: { ...service, random } };
}

/** Pays the provider its cost, then reports what the provider made of the request. */
export const invoke = defineTool({
  name: 'service.invoke',
  description:
    "Invoke the service `service_name`: its cost in credits is paid to its provider first, then the call succeeds or fails (service_failed) as the provider delivers; the cost is not refunded. Answers {service_name, provider, cost, result}.",
  arguments: t.type({ service_name: t.string }),
  phases: EXECUTING_ONLY,
  performer: {
    by: 'orchestrator',
    perform: (world, { service_name }, { agent_id }) => {
    const service = world.services.get(service_name);
    if (service === undefined) return refused(world, 'unknown_service', { service_name, known: [...world.services.keys()] });
    const ledger = transfer(world.ledger, agent_id, service.provider, service.cost);
    if (isLeft(ledger)) return refusedBy(world, ledger.left);
    const { result, service: after } = resultOf(service);
    const next: WorldState = { ...world, ledger: ledger.right, services: new Map(world.services).set(service_name, after) };
    const { provider, cost } = service;
    const emissions = [
      emission('credits_transferred', agent_id, { from_agent: agent_id, to_agent: provider, amount: cost, purpose: `service:${service_name}` }),
      emission('service_invoked', agent_id, { caller_agent: agent_id, provider_agent: provider, service_name, cost, result }),
    ];
    const response = { service_name, provider, cost, result };
    return result === 'success' ? succeeded(next, emissions, response) : failed(next, 'service_failed', response, emissions);
    },
  },
});
