/** Message patterns on `member.rpc`. */
export const MemberRpc = {
  register: 'member.register',
  getMe: 'member.get-me',
} as const;
