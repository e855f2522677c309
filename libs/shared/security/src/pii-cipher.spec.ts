import { randomBytes } from 'node:crypto';
import type { PiiKeyRing } from './pii-cipher';
import { PiiCipher, maskEmail, maskPhone, parseKeyList } from './pii-cipher';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const blindIndexKey = randomBytes(32);

function ring(activeKeyId: string, keys: Record<string, Buffer> = { k1, k2 }): PiiKeyRing {
  return { activeKeyId, keys, blindIndexKey };
}

/** Rewrites one base64 part of `keyId:iv:tag:data`. */
function editPart(ciphertext: string, index: number, edit: (bytes: Buffer) => Buffer): string {
  const parts = ciphertext.split(':');
  parts[index] = edit(Buffer.from(parts[index] ?? '', 'base64')).toString('base64');
  return parts.join(':');
}

function flipFirstByte(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  copy[0] = (copy[0] ?? 0) ^ 0x01;
  return copy;
}

describe(PiiCipher.name, () => {
  const sut = new PiiCipher(ring('k1'));

  it.each(['13812345678', 'alice@example.com', '张三 🎉 Zoë', ''])(
    'decrypts what it encrypted: %p',
    (text) => {
      expect(sut.decrypt(sut.encrypt(text))).toBe(text);
    },
  );

  it('does not leave the plaintext in the ciphertext', () => {
    expect(sut.encrypt('13812345678')).not.toContain('13812345678');
  });

  it('uses a fresh IV each time, so the same text encrypts differently', () => {
    const first = sut.encrypt('13812345678');
    const second = sut.encrypt('13812345678');

    expect(first).not.toBe(second);
    expect(first.split(':')[1]).not.toBe(second.split(':')[1]);
  });

  it('writes keyId:iv:tag:data with a 12-byte IV and a 16-byte tag', () => {
    const [keyId, iv, tag, data, ...rest] = sut.encrypt('hello').split(':');

    expect(keyId).toBe('k1');
    expect(Buffer.from(iv ?? '', 'base64')).toHaveLength(12);
    expect(Buffer.from(tag ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(data ?? '', 'base64')).toHaveLength(5);
    expect(rest).toEqual([]);
    expect(sut.keyIdOf(sut.encrypt('hello'))).toBe('k1');
  });

  it.each([
    ['the data', 3],
    ['the tag', 2],
    ['the IV', 1],
  ])('detects a flipped byte in %s', (_part, index) => {
    const tampered = editPart(sut.encrypt('13812345678'), index, flipFirstByte);

    expect(() => sut.decrypt(tampered)).toThrow();
  });

  it('detects a ciphertext moved to another key id', () => {
    const moved = sut.encrypt('13812345678').replace(/^k1:/, 'k2:');

    expect(() => sut.decrypt(moved)).toThrow();
  });

  // Without authTagLength, Node's GCM accepts a tag cut down to 4 bytes, which makes forging cheap.
  it('rejects a ciphertext whose tag was truncated', () => {
    const truncated = editPart(sut.encrypt('13812345678'), 2, (tag) => tag.subarray(0, 4));

    expect(() => sut.decrypt(truncated)).toThrow();
  });

  it('still decrypts what the old active key wrote after the active key changes', () => {
    const written = new PiiCipher(ring('k1')).encrypt('13812345678');
    const rotated = new PiiCipher(ring('k2'));

    expect(rotated.decrypt(written)).toBe('13812345678');
    expect(rotated.keyIdOf(rotated.encrypt('13812345678'))).toBe('k2');
  });

  it('refuses a ciphertext whose key has left the ring', () => {
    const written = new PiiCipher(ring('k1')).encrypt('13812345678');
    const withoutK1 = new PiiCipher(ring('k2', { k2 }));

    expect(() => withoutK1.decrypt(written)).toThrow(/unknown key id/);
  });

  it.each(['', 'k1', 'k1:aaaa:bbbb', 'nope:aaaa:bbbb:cccc', ':aaaa:bbbb:cccc'])(
    'refuses the malformed ciphertext %p',
    (ciphertext) => {
      expect(() => sut.decrypt(ciphertext)).toThrow(/unknown key id or malformed/);
    },
  );

  it('refuses a ring whose active key is missing', () => {
    expect(() => new PiiCipher(ring('k3'))).toThrow(/k3/);
  });

  it('gives the same blind index for the same value', () => {
    expect(sut.blindIndex('alice@example.com')).toBe(sut.blindIndex('alice@example.com'));
    expect(sut.blindIndex('alice@example.com')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('normalises case and surrounding spaces before indexing', () => {
    expect(sut.blindIndex('  Alice@Example.COM \n')).toBe(sut.blindIndex('alice@example.com'));
  });

  it('gives different blind indexes for different values and different keys', () => {
    const other = new PiiCipher({ ...ring('k1'), blindIndexKey: randomBytes(32) });

    expect(sut.blindIndex('alice@example.com')).not.toBe(sut.blindIndex('bob@example.com'));
    expect(other.blindIndex('alice@example.com')).not.toBe(sut.blindIndex('alice@example.com'));
  });

  it('keeps the blind index the same across key rotation', () => {
    expect(new PiiCipher(ring('k2')).blindIndex('13812345678')).toBe(sut.blindIndex('13812345678'));
  });
});

describe(parseKeyList.name, () => {
  const sut = parseKeyList;
  const key32 = randomBytes(32).toString('base64');
  const other32 = randomBytes(32).toString('base64');

  it('reads id:base64 pairs into 32-byte keys', () => {
    const keys = sut(`k1:${key32}, 2025_b-x:${other32}`);

    expect(Object.keys(keys)).toEqual(['k1', '2025_b-x']);
    expect(keys.k1?.toString('base64')).toBe(key32);
    expect(keys['2025_b-x']?.toString('base64')).toBe(other32);
  });

  it('skips empty entries', () => {
    expect(sut('')).toEqual({});
    expect(Object.keys(sut(`,k1:${key32},`))).toEqual(['k1']);
  });

  it.each([
    ['16 bytes', `k1:${randomBytes(16).toString('base64')}`],
    ['33 bytes', `k1:${randomBytes(33).toString('base64')}`],
    ['no key', 'k1'],
    ['an empty key', 'k1:'],
  ])('rejects a key of %s', (_name, value) => {
    expect(() => sut(value)).toThrow(/must be id:base64 of 32 bytes/);
  });

  it.each(['', 'a b', 'a.b', 'k/1', 'x'.repeat(17)])('rejects the key id %p', (id) => {
    expect(() => sut(`${id}:${key32}`)).toThrow(/must be id:base64 of 32 bytes/);
  });
});

describe(maskPhone.name, () => {
  const sut = maskPhone;

  it('keeps the first 3 and last 4 digits of a mainland number', () => {
    expect(sut('13812345678')).toBe('138****5678');
  });

  it('drops the +86 prefix first', () => {
    expect(sut('+8613812345678')).toBe('138****5678');
  });

  it('hides a number too short to mask partly', () => {
    expect(sut('123456')).toBe('****');
    expect(sut('')).toBe('****');
  });
});

describe(maskEmail.name, () => {
  const sut = maskEmail;

  it('keeps the first letter and the domain', () => {
    expect(sut('alice@example.com')).toBe('a***@example.com');
    expect(sut('a@example.com')).toBe('a***@example.com');
  });

  it('never shows more than the first letter of a value without a domain', () => {
    expect(sut('alice')).toBe('a***@');
  });
});
