import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CampaignRewardGrantedV1 } from '@member-system/contracts';
import { HoldingsCache } from './holdings-cache';

/**
 * Benefits a campaign granted to one member: each grant is one use of its benefit, whatever the
 * member's level. A use takes the oldest available grant; a cancelled order gives it back.
 * Writes only in a transaction HoldingsCache tracks (it drops the member's cached grants after
 * commit).
 */
@Injectable()
export class Grants {
  constructor(private readonly holdings: HoldingsCache) {}

  /** Records a campaign's benefit reward, once per participation. */
  async record(manager: EntityManager, granted: CampaignRewardGrantedV1): Promise<void> {
    if (!granted.reward.benefitId) return;
    this.holdings.touch(manager, granted.memberId);
    await manager.query(
      `INSERT IGNORE INTO benefit_grant (participation_id, campaign_id, member_id, benefit_id, status)
       VALUES (?, ?, ?, ?, 'available')`,
      [granted.participationId, granted.campaignId, granted.memberId, granted.reward.benefitId],
    );
  }

  /** The benefits the member holds an available grant of. */
  async availableTo(manager: EntityManager, memberId: string): Promise<Set<string>> {
    const rows = await manager.query<Array<{ benefit_id: string }>>(
      "SELECT DISTINCT benefit_id FROM benefit_grant WHERE member_id = ? AND status = 'available'",
      [memberId],
    );
    return new Set(rows.map((row) => String(row.benefit_id)));
  }

  /** Takes the member's oldest available grant of the benefit; its id, or undefined if none. */
  async take(
    manager: EntityManager,
    memberId: string,
    benefitId: string,
  ): Promise<string | undefined> {
    this.holdings.touch(manager, memberId);
    const [grant] = await manager.query<Array<{ id: string }>>(
      `SELECT id FROM benefit_grant WHERE member_id = ? AND benefit_id = ? AND status = 'available'
        ORDER BY id LIMIT 1 FOR UPDATE`,
      [memberId, benefitId],
    );
    if (!grant) return undefined;
    await manager.query("UPDATE benefit_grant SET status = 'used' WHERE id = ?", [grant.id]);
    return String(grant.id);
  }

  /** Makes the member's grant (taken by a cancelled order) available again. */
  async giveBack(manager: EntityManager, memberId: string, grantId: string): Promise<void> {
    this.holdings.touch(manager, memberId);
    await manager.query("UPDATE benefit_grant SET status = 'available' WHERE id = ?", [grantId]);
  }
}
