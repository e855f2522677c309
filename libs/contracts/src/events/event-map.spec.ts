import {
  EVENT_PAYLOAD_CLASSES,
  MEMBER_SYSTEM_EVENT_TYPES,
  PLATFORM_EVENT_TYPES,
  isEventType,
} from './event-map';

describe('EVENT_PAYLOAD_CLASSES', () => {
  const allTypes = Object.keys(EVENT_PAYLOAD_CLASSES).sort();

  it('is split exactly into consumed platform events and published member-system events', () => {
    expect([...PLATFORM_EVENT_TYPES, ...MEMBER_SYSTEM_EVENT_TYPES].sort()).toEqual(allTypes);
  });

  it('has no event on both exchanges', () => {
    expect(PLATFORM_EVENT_TYPES.filter((type) => MEMBER_SYSTEM_EVENT_TYPES.includes(type))).toEqual(
      [],
    );
  });

  it('names every event <domain>.<name>.v<N>', () => {
    expect(allTypes.filter((type) => !/^[a-z]+\.[a-z-]+\.v[1-9]\d*$/.test(type))).toEqual([]);
  });

  it('gives each event its own payload class', () => {
    const names = Object.values(EVENT_PAYLOAD_CLASSES).map((payloadClass) => payloadClass.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe(isEventType.name, () => {
  const sut = isEventType;

  it('knows the events of docs/api/contract.md', () => {
    expect(sut('order.completed.v1')).toBe(true);
    expect(sut('campaign.reward-granted.v1')).toBe(true);
  });

  it('rejects unknown names and inherited keys', () => {
    expect(sut('order.completed.v2')).toBe(false);
    expect(sut('toString')).toBe(false);
  });
});
