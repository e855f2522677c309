import { Command } from '@nestjs/cqrs';

export interface BirthdayGreetingsReport {
  /** The business date greeted, `YYYY-MM-DD`. */
  date: string;
  monthDays: string[];
  candidates: number;
  greeted: number;
}

/** Greets the members whose birthday falls on `asOf`'s business date. */
export class GreetBirthdaysCommand extends Command<BirthdayGreetingsReport> {
  constructor(readonly asOf: Date) {
    super();
  }
}
