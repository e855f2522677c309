import { Module } from '@nestjs/common';
import { GreetBirthdaysHandler } from './commands/greet-birthdays/greet-birthdays.handler';
import { GreetBirthdaysJob } from './commands/greet-birthdays/greet-birthdays.job';

@Module({ providers: [GreetBirthdaysHandler, GreetBirthdaysJob] })
export class BirthdaysModule {}
