import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

export interface PiiKeyRing {
  /** Key id used for new ciphertexts. */
  activeKeyId: string;
  /** 32-byte AES-256 keys by id; old ids stay to read what they wrote until re-encrypted. */
  keys: Record<string, Buffer>;
  /** Key of the blind index (HMAC-SHA256) used for exact lookups. */
  blindIndexKey: Buffer;
}

/** Parses `id1:base64key,id2:base64key` into a key map, each key 32 bytes. */
export function parseKeyList(value: string): Record<string, Buffer> {
  const keys: Record<string, Buffer> = {};
  for (const entry of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [id, encoded] = entry.split(':');
    const key = Buffer.from(encoded ?? '', 'base64');
    if (!id || !/^[A-Za-z0-9_-]{1,16}$/.test(id) || key.length !== 32) {
      throw new Error(`PII key "${id ?? ''}" must be id:base64 of 32 bytes`);
    }
    keys[id] = key;
  }
  return keys;
}

/**
 * AES-256-GCM for PII at rest. A ciphertext reads `keyId:iv:tag:data` (base64 parts), so keys
 * can rotate: new writes use the active key, old ones stay readable.
 */
export class PiiCipher {
  constructor(private readonly ring: PiiKeyRing) {
    if (!ring.keys[ring.activeKeyId])
      throw new Error(`active PII key ${ring.activeKeyId} is not in the key ring`);
  }

  encrypt(plaintext: string): string {
    const key = this.ring.keys[this.ring.activeKeyId] as Buffer;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      this.ring.activeKeyId,
      iv.toString('base64'),
      tag.toString('base64'),
      data.toString('base64'),
    ].join(':');
  }

  decrypt(ciphertext: string): string {
    const [keyId, iv, tag, data] = ciphertext.split(':');
    const key = keyId ? this.ring.keys[keyId] : undefined;
    if (!key || iv === undefined || tag === undefined || data === undefined) {
      throw new Error(`cannot decrypt: unknown key id or malformed ciphertext`);
    }
    // A full 16-byte tag only: a shortened tag would make forgeries far cheaper.
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'), {
      authTagLength: 16,
    });
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  }

  keyIdOf(ciphertext: string): string {
    return ciphertext.split(':')[0] ?? '';
  }

  /** Deterministic keyed hash for exact lookups (phone, email), normalised first. */
  blindIndex(value: string): string {
    return createHmac('sha256', this.ring.blindIndexKey)
      .update(value.trim().toLowerCase())
      .digest('hex');
  }
}

/** `13812345678` → `138****5678`; `alice@example.com` → `a***@example.com`. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/^\+86/, '');
  return digits.length >= 7 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : '****';
}

export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}
