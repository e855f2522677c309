/** A member moved to a higher level, published once the change committed. */
export class MemberLevelUpgradedEvent {
  constructor(
    readonly memberId: string,
    readonly fromLevelId: number,
    readonly toLevelId: number,
  ) {}
}
