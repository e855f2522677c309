import { Injectable } from '@nestjs/common';
import type { BenefitPlugin } from './benefit-plugin';

/** The benefit types this service knows: each plugin registers itself at start-up. */
@Injectable()
export class BenefitPluginRegistry {
  private readonly plugins = new Map<string, BenefitPlugin<object>>();

  register(plugin: BenefitPlugin<object>): void {
    if (this.plugins.has(plugin.type)) {
      throw new Error(`benefit type ${plugin.type} is registered twice`);
    }
    this.plugins.set(plugin.type, plugin);
  }

  find(type: string): BenefitPlugin<object> | undefined {
    return this.plugins.get(type);
  }

  types(): string[] {
    return [...this.plugins.keys()].sort();
  }
}
