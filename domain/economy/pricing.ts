import { RESOURCES, type Resource, type ResourceBundle } from './resources';
import { roundCredits } from './credits';
import type { Bid } from './auction';

/** Credits per capacity-second: the price of holding the whole of a resource for one second. */
export type Prices = Readonly<Record<Resource, number>>;

export const PRICE_FLOOR = 0.01;
export const PRICE_CEILING = 1000;

export function clampPrice(price: number): number {
  return Math.min(PRICE_CEILING, Math.max(PRICE_FLOOR, price));
}

function capacitySeconds(bundle: ResourceBundle, resource: Resource): number {
  return bundle[resource] * bundle.duration_seconds;
}

function bundleValue(prices: Prices, bundle: ResourceBundle): number {
  let value = 0;
  for (const resource of RESOURCES) value += prices[resource] * capacitySeconds(bundle, resource);
  return value;
}

export function quoteBundle(prices: Prices, bundle: ResourceBundle): number {
  return roundCredits(bundleValue(prices, bundle));
}

const zeroPerResource = (): Record<Resource, number> => ({ cpu: 0, memory: 0, tokens: 0, attention: 0 });

export interface PriceUpdate {
  readonly resource: Resource;
  readonly old_price: number;
  readonly new_price: number;
}

/**
 * Each resource's new price is what the winners paid for it per capacity-second they bought. A bid
 * buying several resources pays for each in proportion to the bundle's value at the previous prices,
 * so its whole amount is counted once, not once per resource. Previous prices are clamped before
 * weighting so that a zero price cannot leave a bundle with no value to split its amount by.
 */
export function discoverPrices(previous: Prices, winners: readonly Bid[]): { prices: Prices; updates: PriceUpdate[] } {
  const weights = zeroPerResource();
  const paid = zeroPerResource();
  const bought = zeroPerResource();
  for (const resource of RESOURCES) weights[resource] = clampPrice(previous[resource]);
  for (const { amount, bundle } of winners) {
    const value = bundleValue(weights, bundle);
    if (value === 0) continue;
    for (const resource of RESOURCES) {
      const seconds = capacitySeconds(bundle, resource);
      paid[resource] += (amount * weights[resource] * seconds) / value;
      bought[resource] += seconds;
    }
  }
  const prices: Record<Resource, number> = { ...previous };
  const updates: PriceUpdate[] = [];
  for (const resource of RESOURCES) {
    if (bought[resource] === 0) continue;
    prices[resource] = clampPrice(paid[resource] / bought[resource]);
    updates.push({ resource, old_price: previous[resource], new_price: prices[resource] });
  }
  return { prices, updates };
}
