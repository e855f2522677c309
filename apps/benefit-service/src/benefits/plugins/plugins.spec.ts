import { ValidationFailedException } from '@member-system/shared/errors';
import type { BenefitContext, BenefitDefinition } from './benefit-plugin';
import { DiscountPlugin } from './discount.plugin';
import { PointsMultiplierPlugin } from './points-multiplier.plugin';
import { BenefitPluginRegistry } from './plugin-registry';

function definition<P>(type: string, params: P): BenefitDefinition<P> {
  return {
    id: '1',
    type,
    levelId: 3,
    name: type,
    description: null,
    params,
    minOrderAmountCents: null,
    monthlyQuota: null,
    validFrom: null,
    validUntil: null,
    enabled: true,
    updatedAt: new Date(0),
  };
}

const cart = (orderAmountCents: number): BenefitContext => ({
  memberId: '7',
  levelId: 3,
  orderAmountCents,
  shippingFeeCents: 0,
  now: new Date(0),
});

describe(DiscountPlugin.name, () => {
  const plugin = new DiscountPlugin(new BenefitPluginRegistry());
  const discountOf = (rate: string, cents: number) =>
    plugin.calculate(definition('DISCOUNT', plugin.parseParams({ rate })), cart(cents))
      .discountCents;

  it.each([
    ['0.95', 39_900, 1_995],
    ['0.95', 10, 1], // 0.005 rounds half-up
    ['0.98', 25, 1], // 0.005 rounds half-up
    ['0.98', 24, 0], // 0.0048 rounds down
    ['0.88', 123_456, 14_815],
    ['1.00', 39_900, 0],
  ])('takes (1 − %s) of %i cents, half-up to the cent: %i', (rate, cents, expected) => {
    expect(discountOf(rate, cents)).toBe(expected);
  });

  it.each([
    [{ rate: '1.01' }],
    [{ rate: 0.95 }],
    [{ rate: '0.955' }],
    [{}],
    [{ rate: '0.9', x: 1 }],
  ])('refuses params %j with a 400 naming the field', (params) => {
    expect(() => plugin.parseParams(params)).toThrow(ValidationFailedException);
  });
});

describe(PointsMultiplierPlugin.name, () => {
  const plugin = new PointsMultiplierPlugin(new BenefitPluginRegistry());

  it('keeps the multiplier in hundredths', () => {
    const params = plugin.parseParams({ multiplier: '1.5' });
    expect(plugin.calculate(definition('POINTS_MULTIPLIER', params))).toEqual({
      pointsMultiplierHundredths: 150,
    });
  });

  it('refuses a multiplier below 1.0', () => {
    expect(() => plugin.parseParams({ multiplier: '0.5' })).toThrow(ValidationFailedException);
  });
});

describe(BenefitPluginRegistry.name, () => {
  it('registers each type once', () => {
    const registry = new BenefitPluginRegistry();
    const plugin = new DiscountPlugin(registry);
    plugin.onModuleInit();
    expect(registry.find('DISCOUNT')).toBe(plugin);
    expect(() => plugin.onModuleInit()).toThrow(/registered twice/);
    expect(registry.types()).toEqual(['DISCOUNT']);
  });
});
