import { Injectable } from '@nestjs/common';
import { BenefitRpc, ErrorCode, LevelRpc } from '@member-system/contracts';
import type { SaveCampaignDto, ServiceName } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { OwnerRpc } from '@member-system/shared/service';

/**
 * What a campaign names in other services must exist there: its reward's benefit (benefit-service)
 * and its minimum level (member-service). The owners are asked, not this service's copies, which
 * hold only what events told them so far; an owner that cannot be asked is a 503.
 */
@Injectable()
export class CampaignReferences {
  constructor(private readonly owners: OwnerRpc) {}

  /** 422 CAMPAIGN_REWARD_BENEFIT_NOT_FOUND or CAMPAIGN_MIN_LEVEL_NOT_FOUND, before anything is stored. */
  async check({ reward, minLevelId }: SaveCampaignDto): Promise<void> {
    await Promise.all([
      reward.benefitId === undefined
        ? undefined
        : this.require(
            'benefit',
            BenefitRpc.get,
            { benefitId: reward.benefitId },
            {
              missing: ErrorCode.BenefitNotFound,
              refusal: new AppException(
                ErrorCode.CampaignRewardBenefitNotFound,
                'The reward names a benefit that does not exist',
                { benefitId: reward.benefitId },
              ),
            },
          ),
      minLevelId === undefined
        ? undefined
        : this.require(
            'member',
            LevelRpc.get,
            { levelId: minLevelId },
            {
              missing: ErrorCode.LevelNotFound,
              refusal: new AppException(
                ErrorCode.CampaignMinLevelNotFound,
                'minLevelId names a level that does not exist',
                { minLevelId },
              ),
            },
          ),
    ]);
  }

  private async require(
    owner: ServiceName,
    pattern: string,
    data: Record<string, unknown>,
    { missing, refusal }: { missing: ErrorCode; refusal: AppException },
  ): Promise<void> {
    try {
      await this.owners.ask(owner, pattern, data);
    } catch (error) {
      throw error instanceof AppException && error.code === missing ? refusal : error;
    }
  }
}
