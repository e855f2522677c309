import type { RegistrationSource } from '../member-registrar';

/** A member was created (never for a repeat registration), published once its transaction committed. */
export class MemberRegisteredEvent {
  constructor(
    readonly memberId: string,
    readonly userId: string,
    readonly source: RegistrationSource,
  ) {}
}
