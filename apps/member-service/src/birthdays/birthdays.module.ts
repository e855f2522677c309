import { Module } from '@nestjs/common';
import { BirthdayGreetingsJob } from './birthday-greetings.job';

@Module({ providers: [BirthdayGreetingsJob] })
export class BirthdaysModule {}
