import { Command } from '@nestjs/cqrs';

export interface ReEncryptionReport {
  activeKeyId: string;
  /** Rows that held at least one ciphertext under another key. */
  rows: number;
  values: number;
}

/** Moves every ciphertext under an old PII key to the active one, `batchSize` members at a time. */
export class ReEncryptPiiCommand extends Command<ReEncryptionReport> {
  constructor(readonly batchSize = 200) {
    super();
  }
}
