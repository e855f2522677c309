// Member PII sealed the way member-service does it (apps/member-service/src/members/member-pii.ts,
// libs/shared/security pii-cipher): AES-256-GCM `keyId:iv:tag:data` and an HMAC-SHA256 blind index.
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';

/** member-service's development keys (MemberServiceConfig), used unless PII_* are set. */
const DEV_PII_KEYS = 'dev1:bWVtYmVyLXN5c3RlbS1kZXYtcGlpLWtleS0zMmJ5dGU=';
const DEV_BLIND_INDEX_KEY = 'bWVtYmVyLXN5c3RlbS1kZXYtYmxpbmQtaW5kZXgta2V5';

/** The key ring from the same variables member-service reads. */
export function piiKeysFrom(env = process.env) {
  const activeKeyId = env.PII_ACTIVE_KEY_ID || 'dev1';
  const keys = new Map(
    (env.PII_KEYS || DEV_PII_KEYS)
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map((entry) => {
        const [id, encoded] = entry.split(':');
        return [id, Buffer.from(encoded ?? '', 'base64')];
      }),
  );
  const key = keys.get(activeKeyId);
  if (!key || key.length !== 32) throw new Error(`PII key ${activeKeyId} missing or not 32 bytes`);
  return {
    activeKeyId,
    key,
    blindIndexKey: Buffer.from(env.PII_BLIND_INDEX_KEY || DEV_BLIND_INDEX_KEY, 'base64'),
  };
}

export class PiiSealer {
  constructor({ activeKeyId, key, blindIndexKey }) {
    this.keyId = activeKeyId;
    this.key = key;
    this.blindIndexKey = blindIndexKey;
  }

  encrypt(plaintext) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${this.keyId}:${iv.toString('base64')}:${tag.toString('base64')}:${data.toString('base64')}`;
  }

  blindIndex(value) {
    return createHmac('sha256', this.blindIndexKey)
      .update(value.trim().toLowerCase())
      .digest('hex');
  }

  /** A member's phone, email and birthday (`{ year, month, day }`), each when present, sealed. */
  member({ phone, email, birthday }) {
    const sealed = {};
    if (phone) {
      sealed.phone = this.encrypt(phone);
      sealed.phoneIndex = this.blindIndex(phone);
    }
    if (email) {
      sealed.email = this.encrypt(email);
      sealed.emailIndex = this.blindIndex(email);
    }
    if (birthday) {
      const pad = (n) => String(n).padStart(2, '0');
      sealed.birthday = this.encrypt(
        `${birthday.year}-${pad(birthday.month)}-${pad(birthday.day)}`,
      );
    }
    return sealed;
  }
}
