import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateLevelDto,
  IdParam,
  LevelRpc,
  ListQueryDto,
  SetMemberLevelDto,
  UpdateLevelDto,
} from '@member-system/contracts';
import type {
  LevelProgressView,
  LevelView,
  MemberView,
  Page,
  RpcCommand,
  SetMemberLevelCommand as SetMemberLevelRequest,
  UpdateLevelCommand as UpdateLevelRequest,
} from '@member-system/contracts';
import { ValidationFailedException, validateDto } from '@member-system/shared/errors';
import { dataOf, requireRole } from '@member-system/shared/service';
import { CreateLevelCommand } from './commands/create-level/create-level.command';
import { SetMemberLevelCommand } from './commands/set-member-level/set-member-level.command';
import { UpdateLevelCommand } from './commands/update-level/update-level.command';
import { GetLevelQuery } from './queries/get-level/get-level.query';
import { LevelProgressQuery } from './queries/level-progress/level-progress.query';
import { ListLevelsQuery } from './queries/list-levels/list-levels.query';

@Controller()
export class LevelsRpcController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @MessagePattern(LevelRpc.list)
  async list(@Payload() command: RpcCommand<unknown>): Promise<Page<LevelView>> {
    const page = await validateDto(ListQueryDto, dataOf(command));
    return this.queryBus.execute(new ListLevelsQuery(page));
  }

  /** A service checks a level it names (`{levelId}`). */
  @MessagePattern(LevelRpc.get)
  get(@Payload() command: RpcCommand<unknown>): Promise<LevelView> {
    requireRole(command, 'service');
    const { levelId } = dataOf(command);
    if (typeof levelId !== 'number' || !Number.isInteger(levelId) || levelId < 1) {
      throw new ValidationFailedException({ levelId: ['must be a level id'] });
    }
    return this.queryBus.execute(new GetLevelQuery(levelId));
  }

  @MessagePattern(LevelRpc.progress)
  progress(@Payload() command: RpcCommand<unknown>): Promise<LevelProgressView> {
    return this.queryBus.execute(new LevelProgressQuery(command.actor.userId));
  }

  @MessagePattern(LevelRpc.create)
  async create(@Payload() command: RpcCommand<unknown>): Promise<LevelView> {
    const level = await validateDto(CreateLevelDto, command.data);
    return this.commandBus.execute(new CreateLevelCommand(level));
  }

  @MessagePattern(LevelRpc.update)
  async update(@Payload() command: RpcCommand<UpdateLevelRequest>): Promise<LevelView> {
    const { id, ...changes } = command.data;
    if (!Number.isInteger(id) || id < 1)
      throw new ValidationFailedException({ levelId: ['must be a level id'] });
    const valid = await validateDto(UpdateLevelDto, changes);
    return this.commandBus.execute(new UpdateLevelCommand(id, valid));
  }

  @MessagePattern(LevelRpc.setMemberLevel)
  async setLevel(@Payload() command: RpcCommand<SetMemberLevelRequest>): Promise<MemberView> {
    const { memberId, ...body } = command.data;
    const { id } = await validateDto(IdParam, { id: memberId });
    const { levelId, reason } = await validateDto(SetMemberLevelDto, body);
    return this.commandBus.execute(new SetMemberLevelCommand(id, levelId, reason, command.actor));
  }
}
