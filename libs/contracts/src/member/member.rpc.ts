/** Message patterns on `member.rpc`. */
export const MemberRpc = {
  register: 'member.register',
  getMe: 'member.get-me',
  updateMe: 'member.update-me',
  /** An admin reads a member by id, masked or (with `reveal`) in clear. */
  adminGet: 'member.admin-get',
  search: 'member.search',
  erase: 'member.erase',
} as const;
