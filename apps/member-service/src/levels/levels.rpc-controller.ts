import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateLevelDto,
  IdParam,
  LevelRpc,
  SetMemberLevelDto,
  UpdateLevelDto,
} from '@member-system/contracts';
import type {
  LevelProgressView,
  LevelView,
  MemberView,
  RpcCommand,
  SetMemberLevelCommand,
  UpdateLevelCommand,
} from '@member-system/contracts';
import { ValidationFailedException, validateDto } from '@member-system/shared/errors';
import { SaveLevelHandler } from './commands/save-level/save-level.handler';
import { SetMemberLevelHandler } from './commands/set-member-level/set-member-level.handler';
import { LevelProgressHandler } from './queries/level-progress/level-progress.handler';
import { ListLevelsHandler } from './queries/list-levels/list-levels.handler';

@Controller()
export class LevelsRpcController {
  constructor(
    private readonly listLevels: ListLevelsHandler,
    private readonly levelProgress: LevelProgressHandler,
    private readonly saveLevel: SaveLevelHandler,
    private readonly setMemberLevel: SetMemberLevelHandler,
  ) {}

  @MessagePattern(LevelRpc.list)
  list(): Promise<LevelView[]> {
    return this.listLevels.execute();
  }

  @MessagePattern(LevelRpc.progress)
  progress(@Payload() command: RpcCommand<unknown>): Promise<LevelProgressView> {
    return this.levelProgress.byUserId(command.actor.userId);
  }

  @MessagePattern(LevelRpc.create)
  async create(@Payload() command: RpcCommand<unknown>): Promise<LevelView> {
    return this.saveLevel.create(await validateDto(CreateLevelDto, command.data));
  }

  @MessagePattern(LevelRpc.update)
  async update(@Payload() command: RpcCommand<UpdateLevelCommand>): Promise<LevelView> {
    const { id, ...changes } = command.data;
    if (!Number.isInteger(id) || id < 1)
      throw new ValidationFailedException({ levelId: ['must be a level id'] });
    return this.saveLevel.update({ id, ...(await validateDto(UpdateLevelDto, changes)) });
  }

  @MessagePattern(LevelRpc.setMemberLevel)
  async setLevel(@Payload() command: RpcCommand<SetMemberLevelCommand>): Promise<MemberView> {
    const { memberId, ...body } = command.data;
    const { id } = await validateDto(IdParam, { id: memberId });
    return this.setMemberLevel.execute(
      { memberId: id, ...(await validateDto(SetMemberLevelDto, body)) },
      command.actor,
    );
  }
}
