import { Inject, Injectable } from '@nestjs/common';
import { PiiCipher, maskEmail, maskPhone, parseKeyList } from '@member-system/shared/security';
import { MemberServiceConfig } from '../config/member-service.config';

/** A mainland mobile number, bare or with +86: the same phone either way. */
const MAINLAND_MOBILE = /^(?:\+86)?(1[3-9]\d{9})$/;

/** `张三` → `张*`, `Alice` → `A***`: the first character only, and nothing of the length. */
export function maskName(name: string): string {
  const [first] = [...name.trim()];
  if (first === undefined) return '*';
  return /\p{Script=Han}/u.test(first) ? `${first}*` : `${first}***`;
}

/** Encrypts a member's PII on the way in and masks or reveals it on the way out. */
@Injectable()
export class MemberPii {
  readonly cipher: PiiCipher;
  readonly activeKeyId: string;

  constructor(@Inject(MemberServiceConfig) config: MemberServiceConfig) {
    this.activeKeyId = config.PII_ACTIVE_KEY_ID;
    this.cipher = new PiiCipher({
      activeKeyId: config.PII_ACTIVE_KEY_ID,
      keys: parseKeyList(config.PII_KEYS),
      blindIndexKey: Buffer.from(config.PII_BLIND_INDEX_KEY, 'base64'),
    });
  }

  seal(value: string | undefined): { ciphertext: string | null; blindIndex: string | null } {
    if (value === undefined) return { ciphertext: null, blindIndex: null };
    return { ciphertext: this.cipher.encrypt(value), blindIndex: this.cipher.blindIndex(value) };
  }

  /** Encrypts a value, or null for null (a cleared field). */
  encrypt(value: string | null): string | null {
    return value === null ? null : this.cipher.encrypt(value);
  }

  /** The plaintext of a stored ciphertext, or null for none. */
  open(ciphertext: string | null): string | null {
    return ciphertext === null ? null : this.cipher.decrypt(ciphertext);
  }

  emailIndex(email: string): string {
    return this.cipher.blindIndex(email);
  }

  /**
   * Every blind index the phone may be stored under: a mainland number is indexed as it was
   * written, with or without +86, so a lookup tries both forms.
   */
  phoneIndexes(phone: string): string[] {
    const trimmed = phone.trim();
    const mainland = MAINLAND_MOBILE.exec(trimmed)?.[1];
    const forms = mainland === undefined ? [trimmed] : [mainland, `+86${mainland}`];
    return forms.map((form) => this.cipher.blindIndex(form));
  }

  /** The same plaintext under the active key, or null when it already is under it. */
  reEncrypt(ciphertext: string): string | null {
    if (this.cipher.keyIdOf(ciphertext) === this.activeKeyId) return null;
    return this.cipher.encrypt(this.cipher.decrypt(ciphertext));
  }

  maskedPhone(ciphertext: string | null): string | null {
    return ciphertext === null ? null : maskPhone(this.cipher.decrypt(ciphertext));
  }

  maskedEmail(ciphertext: string | null): string | null {
    return ciphertext === null ? null : maskEmail(this.cipher.decrypt(ciphertext));
  }

  /** Birthdays show the month and day only: the year is PII too. */
  maskedBirthday(ciphertext: string | null): string | null {
    return ciphertext === null ? null : `****-${this.cipher.decrypt(ciphertext).slice(5)}`;
  }

  maskedRealName(ciphertext: string | null): string | null {
    return ciphertext === null ? null : maskName(this.cipher.decrypt(ciphertext));
  }
}
