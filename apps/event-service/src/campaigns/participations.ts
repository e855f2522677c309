import type { EntityManager } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import type { Page, ParticipationStatus, ParticipationView } from '@member-system/contracts';
import { Keyset } from '@member-system/shared/database';
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

/** Newest first, served by ix_participation_member. */
const NEWEST_FIRST = new Keyset<ParticipationRow>(
  [
    { column: 'p.joined_at', kind: 'time' },
    { column: 'p.id', kind: 'id' },
  ],
  'DESC',
  (row) => [row.joined_at, String(row.id)],
);

/** One page of the member's participations, newest first. */
export async function participationsOf(
  manager: EntityManager,
  memberId: string,
  { limit, cursor }: { limit: number; cursor?: string | undefined },
): Promise<Page<ParticipationView>> {
  const after = cursor === undefined ? undefined : NEWEST_FIRST.after(cursor);
  const rows = await manager.query<ParticipationRow[]>(
    `${SELECT} WHERE p.member_id = ? ${after ? `AND ${after.sql}` : ''}
      ORDER BY ${NEWEST_FIRST.orderBy} LIMIT ?`,
    [memberId, ...(after?.params ?? []), limit + 1],
  );
  return NEWEST_FIRST.page(rows, limit, viewOf);
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
