import { ErrorCode } from '@member-system/contracts';
import type { RpcCommand, ServiceName } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { RpcClient } from '@member-system/shared/messaging';
import { readOnlyRefusal } from './read-only-policy';
import type { ReadOnlyMode } from './read-only-mode';

/**
 * The gateway's RpcClient: a service answering READ_ONLY_MODE (its primary database refuses
 * writes) switches read-only mode on for the whole gateway fleet, and the caller gets the same
 * 503 as every write refused by the mode.
 */
export class ReadOnlyReportingRpcClient extends RpcClient {
  constructor(
    url: string,
    timeoutMs: number,
    private readonly readOnly: ReadOnlyMode,
  ) {
    super(url, timeoutMs);
  }

  override async send<T>(
    service: ServiceName,
    pattern: string,
    command: RpcCommand<unknown>,
    options?: { timeoutMs?: number },
  ): Promise<T> {
    try {
      return await super.send<T>(service, pattern, command, options);
    } catch (error) {
      if (!(error instanceof AppException) || error.code !== ErrorCode.ReadOnlyMode) throw error;
      throw readOnlyRefusal(await this.readOnly.reportUnwritable(service));
    }
  }
}
