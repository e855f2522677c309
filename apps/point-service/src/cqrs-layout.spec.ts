import { cqrsLayoutProblems } from '@member-system/shared/testing';

describe('the CQRS layout', () => {
  it('has a folder per use case with its message and handler, reached only through the buses', () => {
    expect(cqrsLayoutProblems(__dirname)).toEqual([]);
  });
});
