import { Inject, Injectable } from '@nestjs/common';
import { PiiCipher, maskEmail, maskPhone, parseKeyList } from '@member-system/shared/security';
import { MemberServiceConfig } from '../config/member-service.config';

/** Encrypts a member's PII on the way in and masks or reveals it on the way out. */
@Injectable()
export class MemberPii {
  readonly cipher: PiiCipher;

  constructor(@Inject(MemberServiceConfig) config: MemberServiceConfig) {
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
}
