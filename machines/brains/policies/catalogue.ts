import type { PolicyName, PolicyParams } from '../../../domain/population/config';
import type { ResourceBundle } from '../../../domain/economy/resources';
import { DEFAULT_POLICY, policyBrain } from '../policy';
import type { BrainLogic } from '../protocol';
import { DEFAULT_PRICE_AWARE, priceAwareBrain } from './price-aware';
import { DEFAULT_RANDOM_BIDDER, randomBidderBrain } from './random-bidder';
import { DEFAULT_SAVER, saverBrain } from './saver';
import { DEFAULT_SERVICE_PROVIDER, serviceProviderBrain } from './service-provider';

/** The built-in policies by name, each built from a study's parameters over its own defaults. */

type Defined<T> = { [K in keyof T]: Exclude<T[K], undefined> };

function withParams<O extends { readonly bundle: ResourceBundle }>(defaults: O, params: PolicyParams): O {
  const { bundle, ...rest } = params;
  const given = Object.fromEntries(Object.entries(rest).filter(([key, value]) => value !== undefined && key in defaults)) as Partial<Defined<O>>;
  return { ...defaults, ...given, bundle: { ...defaults.bundle, ...bundle } };
}

export const POLICY_SUMMARIES: Readonly<Record<PolicyName, string>> = {
  fixed_share: 'bids a share of its balance for a small fixed bundle; below a floor it sleeps once, then spends what is left',
  price_aware: "offers its bundle's cost at the last clearing prices times a markup, at most a share of its balance",
  saver: 'sleeps while prices are above its ceiling or its balance below its floor; otherwise bids a share of its balance',
  random: 'bids a uniform share of its balance, from nothing to twice its budget fraction',
  service_provider: 'registers a paid service in its first window and lives on what callers pay',
};

export function policyFor(policy: PolicyName, params: PolicyParams = {}): BrainLogic {
  switch (policy) {
    case 'fixed_share':
      return policyBrain(withParams(DEFAULT_POLICY, params));
    case 'price_aware':
      return priceAwareBrain(withParams(DEFAULT_PRICE_AWARE, params));
    case 'saver':
      return saverBrain(withParams(DEFAULT_SAVER, params));
    case 'random':
      return randomBidderBrain(withParams(DEFAULT_RANDOM_BIDDER, params));
    case 'service_provider':
      return serviceProviderBrain(withParams(DEFAULT_SERVICE_PROVIDER, params));
  }
}
