import { parseAmqpUrls } from './amqp-urls';
import { BaseServiceConfig } from './base-service.config';
import { loadConfig } from './load-config';

describe(parseAmqpUrls.name, () => {
  const sut = parseAmqpUrls;

  it('reads one URL as a list of one', () => {
    expect(sut('amqp://guest:guest@127.0.0.1:5672')).toEqual(['amqp://guest:guest@127.0.0.1:5672']);
  });

  it('reads the nodes of a cluster in their order, around spaces', () => {
    expect(
      sut('amqp://u:p@10.0.0.1:5672/ms, amqps://u:p@10.0.0.2:5671/ms ,amqp://u:p@rabbit-2/ms'),
    ).toEqual([
      'amqp://u:p@10.0.0.1:5672/ms',
      'amqps://u:p@10.0.0.2:5671/ms',
      'amqp://u:p@rabbit-2/ms',
    ]);
  });

  it('names the empty entry of a list', () => {
    expect(() => sut('amqp://127.0.0.1:5672,,amqp://127.0.0.1:5673')).toThrow(
      'entry 2 of 3 is empty',
    );
    expect(() => sut('amqp://127.0.0.1:5672,')).toThrow('entry 2 of 2 is empty');
  });

  it('names an entry of another scheme without showing its password', () => {
    expect(() => sut('amqp://u:p@a:5672,http://user:secret@b:15672')).toThrow(
      'entry 2 of 2 ("http://…@b:15672") must start with amqp:// or amqps://',
    );
  });

  it('refuses what is not a URL', () => {
    expect(() => sut('rabbit-0:5672')).toThrow('must start with amqp://');
    expect(() => sut('not a url')).toThrow('the URL ("not a url") is not a URL');
  });
});

describe('RABBITMQ_URL', () => {
  it('accepts a list of nodes', () => {
    const config = loadConfig(BaseServiceConfig, {
      RABBITMQ_URL: 'amqp://g:g@127.0.0.1:5672,amqp://g:g@127.0.0.1:5673',
    });

    expect(config.RABBITMQ_URL).toBe('amqp://g:g@127.0.0.1:5672,amqp://g:g@127.0.0.1:5673');
  });

  it('stops the boot with a message naming the variable and the bad entry', () => {
    expect(() =>
      loadConfig(BaseServiceConfig, {
        RABBITMQ_URL: 'amqp://127.0.0.1:5672;amqp://127.0.0.1:5673',
      }),
    ).toThrow(/RABBITMQ_URL=.*must be amqp:\/\/ or amqps:\/\/ URLs separated by commas/);
  });
});
