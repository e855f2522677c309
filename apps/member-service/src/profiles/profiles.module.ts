import { Module } from '@nestjs/common';
import { MembersModule } from '../members/members.module';
import { ReEncryptPiiHandler } from './commands/re-encrypt-pii/re-encrypt-pii.handler';
import { ReEncryptPiiJob } from './commands/re-encrypt-pii/re-encrypt-pii.job';
import { UpdateProfileHandler } from './commands/update-profile/update-profile.handler';
import { ProfilesRpcController } from './profiles.rpc-controller';
import { GetMemberForAdminHandler } from './queries/get-member-for-admin/get-member-for-admin.handler';

/** Profile changes by the member, an admin's (optionally revealed) read, and PII key rotation. */
@Module({
  imports: [MembersModule],
  controllers: [ProfilesRpcController],
  providers: [UpdateProfileHandler, GetMemberForAdminHandler, ReEncryptPiiHandler, ReEncryptPiiJob],
})
export class ProfilesModule {}
