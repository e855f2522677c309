import { birthdaysCelebratedOn } from './greet-birthdays.handler';

describe(birthdaysCelebratedOn.name, () => {
  it('celebrates the day itself', () => {
    expect(birthdaysCelebratedOn(2026, 5, 6)).toEqual(['05-06']);
  });

  it('adds 29 February birthdays to 28 February in common years only', () => {
    expect(birthdaysCelebratedOn(2027, 2, 28)).toEqual(['02-28', '02-29']);
    expect(birthdaysCelebratedOn(2028, 2, 28)).toEqual(['02-28']);
    expect(birthdaysCelebratedOn(2028, 2, 29)).toEqual(['02-29']);
    expect(birthdaysCelebratedOn(2100, 2, 28)).toEqual(['02-28', '02-29']);
    expect(birthdaysCelebratedOn(2000, 2, 28)).toEqual(['02-28']);
  });
});
