import type { MigrationInterface, QueryRunner } from 'typeorm';

/** docs/api/contract.md "Defaults": what each level's members get, as benefit definitions admins can change. */
const DEFAULTS: Array<{
  level: number;
  name: string;
  discount: string;
  multiplier: string;
  shipping: number | null;
  gift: number;
}> = [
  { level: 1, name: 'Regular', discount: '1.00', multiplier: '1.0', shipping: 0, gift: 0 },
  { level: 2, name: 'Silver', discount: '0.98', multiplier: '1.2', shipping: 2, gift: 100 },
  { level: 3, name: 'Gold', discount: '0.95', multiplier: '1.5', shipping: 5, gift: 300 },
  { level: 4, name: 'Platinum', discount: '0.92', multiplier: '1.8', shipping: null, gift: 600 },
  { level: 5, name: 'Diamond', discount: '0.88', multiplier: '2.0', shipping: null, gift: 1000 },
];

function defaultBenefits(): Array<[string, number, string, string, Record<string, unknown>]> {
  const rows: Array<[string, number, string, string, Record<string, unknown>]> = [];
  for (const level of DEFAULTS) {
    const percent = Math.round((1 - Number(level.discount)) * 100);
    rows.push([
      'POINTS_MULTIPLIER',
      level.level,
      `${level.name}: ${level.multiplier}× points`,
      'Order points at this multiplier',
      { multiplier: level.multiplier },
    ]);
    // A level that gives nothing of a kind has no benefit of that kind.
    if (percent > 0) {
      rows.push([
        'DISCOUNT',
        level.level,
        `${level.name}: ${percent}% off`,
        `Every order at ${level.discount} of its price`,
        { rate: level.discount },
      ]);
    }
    if (level.shipping !== 0) {
      const quota = level.shipping === null ? 'unlimited' : `${level.shipping} a month`;
      rows.push([
        'FREE_SHIPPING',
        level.level,
        `${level.name}: free shipping`,
        `Free shipping, ${quota}`,
        { monthlyQuota: level.shipping },
      ]);
    }
    if (level.gift > 0) {
      rows.push([
        'BIRTHDAY_GIFT',
        level.level,
        `${level.name}: birthday gift`,
        `${level.gift} points on your birthday`,
        { points: level.gift },
      ]);
    }
    if (level.level >= 3) {
      rows.push([
        'EXCLUSIVE_EVENT',
        level.level,
        `${level.name}: exclusive campaigns`,
        'Member-only campaigns',
        {},
      ]);
    }
    if (level.level >= 4) {
      rows.push([
        'PRIORITY_SERVICE',
        level.level,
        `${level.name}: priority service`,
        'Priority customer service',
        {},
      ]);
    }
  }
  return rows;
}

/**
 * Benefit definitions (per level, typed parameters as JSON, an optional window), each use per order
 * and benefit, monthly quota counters, orders (the row a use and a cancellation both lock), and birthday gifts granted per year.
 */
export class CreateBenefits1764028800310 implements MigrationInterface {
  name = 'CreateBenefits1764028800310';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE benefit (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        type VARCHAR(32) NOT NULL,
        level_id INT UNSIGNED NOT NULL,
        name VARCHAR(100) NOT NULL,
        description VARCHAR(500) NULL,
        params JSON NOT NULL,
        valid_from DATETIME(3) NULL,
        valid_until DATETIME(3) NULL,
        enabled TINYINT(1) NOT NULL DEFAULT 1,
        deleted_at DATETIME(3) NULL COMMENT 'removed by an admin; kept for its uses and statistics',
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        KEY ix_benefit_level (level_id, deleted_at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE benefit_usage (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        benefit_id BIGINT UNSIGNED NOT NULL,
        member_id BIGINT UNSIGNED NOT NULL,
        order_id BIGINT UNSIGNED NOT NULL,
        level_id INT UNSIGNED NOT NULL,
        order_amount_cents BIGINT UNSIGNED NOT NULL,
        amount_cents BIGINT UNSIGNED NOT NULL COMMENT 'what the use took off the order or its shipping',
        quota_period CHAR(7) NULL COMMENT 'YYYY-MM whose quota it counts against, when the benefit has one',
        status VARCHAR(16) NOT NULL COMMENT 'used | cancelled',
        used_on DATE NOT NULL COMMENT 'business date, for statistics',
        used_at DATETIME(3) NOT NULL,
        cancelled_at DATETIME(3) NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_benefit_usage_order (order_id, benefit_id),
        KEY ix_benefit_usage_member (member_id, used_on),
        KEY ix_benefit_usage_benefit (benefit_id, used_on)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE benefit_quota (
        member_id BIGINT UNSIGNED NOT NULL,
        benefit_id BIGINT UNSIGNED NOT NULL,
        period CHAR(7) NOT NULL COMMENT 'YYYY-MM in the business time zone',
        used INT UNSIGNED NOT NULL,
        PRIMARY KEY (member_id, benefit_id, period)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE benefit_order (
        order_id BIGINT UNSIGNED NOT NULL,
        cancelled TINYINT(1) NOT NULL DEFAULT 0,
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (order_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE birthday_gift (
        member_id BIGINT UNSIGNED NOT NULL,
        year SMALLINT UNSIGNED NOT NULL,
        benefit_id BIGINT UNSIGNED NOT NULL,
        points INT UNSIGNED NOT NULL,
        granted_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (member_id, year)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    for (const [type, level, name, description, params] of defaultBenefits()) {
      await runner.query(
        'INSERT INTO benefit (type, level_id, name, description, params) VALUES (?, ?, ?, ?, ?)',
        [type, level, name, description, JSON.stringify(params)],
      );
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'birthday_gift',
      'benefit_order',
      'benefit_quota',
      'benefit_usage',
      'benefit',
    ]) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
