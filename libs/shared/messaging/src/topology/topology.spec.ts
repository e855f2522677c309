import {
  EVENT_PAYLOAD_CLASSES,
  EVENTS_EXCHANGE,
  PLATFORM_EVENT_TYPES,
  PLATFORM_EXCHANGE,
  exchangeOf,
} from '@member-system/contracts';
import type { EventType } from '@member-system/contracts';
import { parkingQueueName, retryQueueName } from './topology';

const allTypes = Object.keys(EVENT_PAYLOAD_CLASSES) as EventType[];
const fleetTypes = allTypes.filter((type) => !PLATFORM_EVENT_TYPES.includes(type));

describe(exchangeOf.name, () => {
  const sut = exchangeOf;

  it('names the exchanges of the architecture', () => {
    expect(PLATFORM_EXCHANGE).toBe('platform.events');
    expect(EVENTS_EXCHANGE).toBe('member-system.events');
  });

  it.each(PLATFORM_EVENT_TYPES)('routes the platform event %s to platform.events', (type) => {
    expect(sut(type)).toBe('platform.events');
  });

  it.each(fleetTypes)('routes %s to member-system.events', (type) => {
    expect(sut(type)).toBe('member-system.events');
  });

  it('covers both kinds of event', () => {
    expect(PLATFORM_EVENT_TYPES.length).toBeGreaterThan(0);
    expect(fleetTypes.length).toBeGreaterThan(0);
  });
});

describe(retryQueueName.name, () => {
  const sut = retryQueueName;

  it('names one delay queue per queue and delay', () => {
    expect(sut('point.events', 5000)).toBe('point.events.retry.5000ms');
    expect(sut('point.events', 0)).toBe('point.events.retry.0ms');
    expect(sut('point.events', 1000)).not.toBe(sut('point.events', 5000));
    expect(sut('point.events', 1000)).not.toBe(sut('member.events', 1000));
  });
});

describe(parkingQueueName.name, () => {
  const sut = parkingQueueName;

  it('names the parking queue after its queue', () => {
    expect(sut('point.events')).toBe('point.events.parking');
  });
});
