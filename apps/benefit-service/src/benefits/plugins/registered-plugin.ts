import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import type {
  Applicability,
  BenefitContext,
  BenefitDefinition,
  BenefitEffect,
  BenefitPlugin,
} from './benefit-plugin';
import { BenefitPluginRegistry } from './plugin-registry';

/** Base of the plugins: registers the type at start-up; by default no extra condition. */
@Injectable()
export abstract class RegisteredPlugin<P extends object> implements BenefitPlugin<P>, OnModuleInit {
  abstract readonly type: string;

  constructor(private readonly registry: BenefitPluginRegistry) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  abstract parseParams(raw: Record<string, unknown>): P;

  isApplicable(_benefit: BenefitDefinition<P>, _context: BenefitContext): Applicability {
    return { applicable: true };
  }

  abstract calculate(benefit: BenefitDefinition<P>, context: BenefitContext): BenefitEffect;
}
