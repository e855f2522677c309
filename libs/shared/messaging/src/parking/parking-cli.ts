// `npm run parking -- list|replay --queue point.events [--limit N]`: what failed every attempt, and putting it back.
import 'reflect-metadata';
import { BaseServiceConfig, loadConfig } from '@member-system/shared/config';
import { connectFirst } from '../amqp/amqp-connection';
import { listParked, replayParked } from './parking';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [command] = args;
  const option = (name: string): string | undefined => {
    const index = args.indexOf(`--${name}`);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const queue = option('queue');
  if ((command !== 'list' && command !== 'replay') || !queue) {
    console.log(
      'usage: npm run parking -- list|replay --queue <service>.events [--limit N] [--url amqp://…]',
    );
    process.exit(command === '--help' ? 0 : 1);
  }
  const url = option('url') ?? loadConfig(BaseServiceConfig).RABBITMQ_URL;
  const limit = Number(option('limit') ?? (command === 'list' ? 50 : 1000));
  const connection = await connectFirst(url);
  try {
    const channel = await connection.createConfirmChannel();
    if (command === 'list') {
      for (const message of await listParked(channel, queue, limit)) {
        console.log(JSON.stringify(message));
      }
    } else {
      console.log(`replayed ${await replayParked(channel, queue, limit)} message(s) to ${queue}`);
    }
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
