import { cqrsLayoutProblems } from '@member-system/shared/testing';

describe('member-service CQRS layout', () => {
  it('has one folder per use case, and controllers and consumers dispatching through the buses', () => {
    expect(cqrsLayoutProblems(__dirname)).toEqual([]);
  });
});
