import * as t from 'io-ts';
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import type { Scenario } from '../../domain/benchmark/scenario';
import type { ServiceOffer } from '../../machines';
import { Problems } from '../../domain/codec/decode';
import { optionalStateField } from '../../domain/benchmark/initial-state';
import { Credits } from '../../domain/economy/credits';
import { Probability } from '../../domain/codec/numbers';
import { Outcome } from '../../domain/economy/events';

/**
 * The service providers a scenario's initial state describes, as the world's service offers. Each
 * provider succeeds with the probability its `success_probability` or `reputation` states, failing
 * those with the share of successes in its `transaction_history`, and otherwise always; the draw
 * comes from the provider's own stream of the run's seed. A provider whose service has no name of its
 * own offers one service named after the provider (`service.invoke {"service_name": "agent_z"}`).
 *
 * | initial_state field | provider | service name | cost |
 * |---|---|---|---|
 * | `available_services[]` | `provider` | `name` or `service` | `cost` |
 * | `data_sources[]` (names) | the name | the name | free |
 * | `data_providers[]` | `agent_id` | `agent_id` | `cost` |
 * | `available_partners[]` | `agent_id` | `agent_id` | `service_cost` |
 * | `recovery_options[]` with a `provider` | `provider` | `provider` | `cost` |
 * | `recovery_options[]` `retry_same_provider` | `previous_attempt.service_provider` | that provider | `cost` |
 */

const Transaction = t.type({ result: Outcome });

/** What makes a provider succeed; the first that is stated counts. */
const Reliability = t.partial({ success_probability: Probability, reputation: Probability, transaction_history: t.array(Transaction) });
type Reliability = t.TypeOf<typeof Reliability>;

function successRate({ success_probability, reputation, transaction_history }: Reliability): number {
  if (success_probability !== undefined) return success_probability;
  if (reputation !== undefined) return reputation;
  if (transaction_history === undefined || transaction_history.length === 0) return 1;
  return transaction_history.filter(({ result }) => result === 'success').length / transaction_history.length;
}

const NamedService = t.union([t.type({ name: t.string }), t.type({ service: t.string })]);
const AvailableService = t.intersection([t.type({ provider: t.string, cost: Credits }), NamedService, Reliability]);
const DataProvider = t.intersection([t.type({ agent_id: t.string, cost: Credits }), Reliability]);
const Partner = t.intersection([t.type({ agent_id: t.string, service_cost: Credits }), Reliability]);
const RecoveryOption = t.intersection([t.type({ option: t.string, cost: Credits }), t.partial({ provider: t.string }), Reliability]);
const PreviousAttempt = t.partial({ service_provider: t.string });

/** The option that tries the provider of the previous attempt again. */
const RETRY_SAME_PROVIDER = 'retry_same_provider';

function offer(provider: string, service_name: string, cost: number, reliability: Reliability): ServiceOffer {
  return { provider, service_name, cost, success_rate: successRate(reliability) };
}

export function serviceOffersOf(scenario: Scenario): Either<string[], ServiceOffer[]> {
  const problems = new Problems();
  const field = <A>(key: string, codec: t.Decoder<unknown, A>): A | undefined =>
    problems.take(optionalStateField(scenario, key, codec), undefined);

  const services = (field('available_services', t.array(AvailableService)) ?? []).map((service) =>
    offer(service.provider, 'name' in service ? service.name : service.service, service.cost, service),
  );
  const sources = (field('data_sources', t.array(t.string)) ?? []).map((source) => offer(source, source, 0, {}));
  const providers = (field('data_providers', t.array(DataProvider)) ?? []).map((provider) =>
    offer(provider.agent_id, provider.agent_id, provider.cost, provider),
  );
  const partners = (field('available_partners', t.array(Partner)) ?? []).map((partner) =>
    offer(partner.agent_id, partner.agent_id, partner.service_cost, partner),
  );
  const previousProvider = field('previous_attempt', PreviousAttempt)?.service_provider;
  const recoveries = (field('recovery_options', t.array(RecoveryOption)) ?? []).flatMap((option) => {
    const provider = option.provider ?? (option.option === RETRY_SAME_PROVIDER ? previousProvider : undefined);
    return provider === undefined ? [] : [offer(provider, provider, option.cost, option)];
  });
  const offers = [...services, ...sources, ...providers, ...partners, ...recoveries];
  return problems.list.length > 0 ? left(problems.list) : right(offers);
}
