import type { EntityManager } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import type { ParticipationStatus, ParticipationView } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';

/** A participation as members and admins see it: the reads of commands and of queries. */
interface ParticipationRow {
  id: string;
  campaign_id: string;
  title: string;
  status: ParticipationStatus;
  joined_at: Date;
  completed_at: Date | null;
  rewarded_at: Date | null;
}

const SELECT = `SELECT p.id, p.campaign_id, c.title, p.status, p.joined_at, p.completed_at, p.rewarded_at
                  FROM participation p JOIN campaign c ON c.id = p.campaign_id`;

/** The member's participations, newest first. */
export async function participationsOf(
  manager: EntityManager,
  memberId: string,
): Promise<ParticipationView[]> {
  const rows = await manager.query<ParticipationRow[]>(
    `${SELECT} WHERE p.member_id = ? ORDER BY p.joined_at DESC, p.id DESC LIMIT 200`,
    [memberId],
  );
  return rows.map(viewOf);
}

/** One participation; 404 PARTICIPATION_NOT_FOUND when there is none. */
export async function participationById(
  manager: EntityManager,
  participationId: string,
): Promise<ParticipationView> {
  const [row] = await manager.query<ParticipationRow[]>(`${SELECT} WHERE p.id = ?`, [
    participationId,
  ]);
  if (!row) {
    throw new AppException(ErrorCode.ParticipationNotFound, 'No such participation', {
      participationId,
    });
  }
  return viewOf(row);
}

function viewOf(row: ParticipationRow): ParticipationView {
  return {
    participationId: String(row.id),
    campaignId: String(row.campaign_id),
    campaignTitle: row.title,
    status: row.status,
    joinedAt: row.joined_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
    rewardedAt: row.rewarded_at?.toISOString() ?? null,
  };
}
