/** Message patterns on `member.rpc`. */
export const MemberRpc = {
  register: 'member.register',
  getMe: 'member.get-me',
  updateMe: 'member.update-me',
  /** An admin reads a member by id, masked or (with `reveal`) in clear. */
  adminGet: 'member.admin-get',
  search: 'member.search',
  erase: 'member.erase',
  /**
   * A service asks the owner for a member its own copy has not heard of yet (`{userId}` or
   * `{memberId}`); the answer is a `MemberRef`, or MEMBER_NOT_FOUND. Services only.
   */
  lookup: 'member.lookup',
} as const;

/** What a service keeps of a member: the pair of ids and the level with its version. */
export interface MemberRef {
  memberId: string;
  userId: string;
  levelId: number;
  /** The version of `member.level-changed.v1` this level is at (1 at registration). */
  levelVersion: number;
}
