import { Body, Controller, Get, HttpCode, Patch, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  MemberRpc,
  MemberView,
  RegisterMemberDto,
  UpdateProfileDto,
  changedProfileFieldsOf,
} from '@member-system/contracts';
import type { Actor, RegisterMemberResult } from '@member-system/contracts';
import { ValidationFailedException, validateDto } from '@member-system/shared/errors';
import { RpcClient } from '@member-system/shared/messaging';
import { CurrentActor, Roles } from '@member-system/shared/security';
import { commandOf } from '../infra/rpc-command';
import { WriteRoute } from '../infra/write-route';

@ApiTags('members')
@ApiBearerAuth()
@Roles('member')
@Controller('members')
export class MembersController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  @WriteRoute()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Register the caller as a member (a repeat returns the same member with 200)',
  })
  @ApiBody({ type: RegisterMemberDto })
  @ApiCreatedResponse({ type: MemberView, description: 'Registered' })
  @ApiOkResponse({ type: MemberView, description: 'Already a member: the existing member' })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED' })
  async register(
    @CurrentActor() actor: Actor,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MemberView> {
    // No body at all means no profile fields; a JSON null is a malformed body.
    const profile = await validateDto(RegisterMemberDto, body === undefined ? {} : body);
    const result = await this.rpc.send<RegisterMemberResult>(
      'member',
      MemberRpc.register,
      commandOf(actor, profile),
    );
    if (!result.created) void reply.status(200);
    return result.member;
  }

  @Get('me')
  @ApiOperation({ summary: "The caller's profile (PII masked), level and total spent" })
  @ApiResponse({ status: 404, description: 'MEMBER_NOT_FOUND' })
  @ApiOkResponse({ type: MemberView })
  me(@CurrentActor() actor: Actor): Promise<MemberView> {
    return this.rpc.send<MemberView>('member', MemberRpc.getMe, commandOf(actor, {}));
  }

  @Patch('me')
  @WriteRoute()
  @ApiOperation({
    summary:
      "Change the caller's profile: any subset of the fields, null clears one; answers the masked profile",
  })
  @ApiBody({ type: UpdateProfileDto })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED (also for an empty body)' })
  @ApiResponse({ status: 404, description: 'MEMBER_NOT_FOUND' })
  @ApiResponse({ status: 409, description: 'MEMBER_ERASED' })
  @ApiOkResponse({ type: MemberView, description: 'The updated profile, PII masked' })
  async updateMe(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<MemberView> {
    const changes = await validateDto(UpdateProfileDto, body === undefined ? {} : body);
    if (changedProfileFieldsOf(changes).length === 0) {
      throw new ValidationFailedException({ body: ['name at least one profile field to change'] });
    }
    return this.rpc.send<MemberView>('member', MemberRpc.updateMe, commandOf(actor, changes));
  }
}
