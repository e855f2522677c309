import { BirthdayGiftPlugin } from './birthday-gift.plugin';
import { DiscountPlugin } from './discount.plugin';
import { ExclusiveEventPlugin, PriorityServicePlugin } from './flag.plugins';
import { FreeShippingPlugin } from './free-shipping.plugin';
import { PointsMultiplierPlugin } from './points-multiplier.plugin';

/** The built-in types; a module adds its own plugin class to its providers to add a type. */
export const BUILT_IN_PLUGINS = [
  DiscountPlugin,
  FreeShippingPlugin,
  PointsMultiplierPlugin,
  BirthdayGiftPlugin,
  PriorityServicePlugin,
  ExclusiveEventPlugin,
];
