import { MemberServiceConfig } from '../config/member-service.config';
import { MemberPii, maskName } from './member-pii';

describe(maskName.name, () => {
  const sut = maskName;

  it.each([
    ['张三', '张*'],
    ['欧阳娜娜', '欧*'],
    ['Alice', 'A***'],
    ['Al', 'A***'],
    [' Bob ', 'B***'],
    ['', '*'],
  ])('masks %p as %p', (name, masked) => {
    expect(sut(name)).toBe(masked);
  });
});

describe(MemberPii.name, () => {
  const sut = new MemberPii(new MemberServiceConfig());

  it('indexes a mainland number the same with or without +86', () => {
    expect(sut.phoneIndexes('13812345678')).toEqual(sut.phoneIndexes('+8613812345678'));
    expect(sut.phoneIndexes(' 13812345678 ')).toContain(sut.cipher.blindIndex('13812345678'));
    expect(sut.phoneIndexes('13812345678')).toContain(sut.cipher.blindIndex('+8613812345678'));
  });

  it('indexes another country’s number only as written', () => {
    expect(sut.phoneIndexes('+14155550123')).toEqual([sut.cipher.blindIndex('+14155550123')]);
  });

  it('re-encrypts only what is under another key', () => {
    const current = sut.cipher.encrypt('x');

    expect(sut.reEncrypt(current)).toBeNull();
  });
});
