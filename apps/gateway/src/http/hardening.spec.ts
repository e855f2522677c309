import { corsOriginsOf } from './hardening';

describe(corsOriginsOf.name, () => {
  it('reads a comma-separated allow-list, ignoring blanks', () => {
    expect(corsOriginsOf(' https://shop.example.com, https://m.example.com ,')).toEqual([
      'https://shop.example.com',
      'https://m.example.com',
    ]);
  });

  it('allows no origin when unset', () => {
    expect(corsOriginsOf('')).toEqual([]);
  });
});
