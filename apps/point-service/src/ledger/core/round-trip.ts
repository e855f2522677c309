import type { EntityManager } from 'typeorm';
import { queryTogether, queryTogetherAndCommit } from '@member-system/shared/database';
import type { Statement } from '@member-system/shared/database';

/** Named statements of one round trip: one statement, a list of them, or none (left out). */
export type RoundTrip = Record<string, Statement | readonly Statement[] | undefined>;

/** What each name answered: one answer for a statement, a list for a list, none for none. */
export type Answers<T extends RoundTrip> = {
  [K in keyof T]: T[K] extends readonly Statement[] ? unknown[] : unknown;
};

/**
 * Sends the statements in one round trip, in the order they are named, and answers each under its
 * name, so that no caller counts positions in a batch. Inside the ledger core only: the core
 * decides what travels together.
 */
export async function roundTrip<T extends RoundTrip>(
  manager: EntityManager,
  named: T,
): Promise<Answers<T>> {
  const { statements, split } = flatten(named);
  return split(await queryTogether(manager, statements));
}

/**
 * `roundTrip`, with the transaction's COMMIT in the same round trip: the last work of a unit,
 * after which nothing may write. A failing statement stops the rest, COMMIT included, and the
 * transaction rolls back as ever.
 */
export async function roundTripAndCommit<T extends RoundTrip>(
  manager: EntityManager,
  named: T,
): Promise<Answers<T>> {
  const { statements, split } = flatten(named);
  return split(await queryTogetherAndCommit(manager, statements));
}

function flatten<T extends RoundTrip>(
  named: T,
): { statements: Statement[]; split: (answers: unknown[]) => Answers<T> } {
  const statements: Statement[] = [];
  const spans: Array<[string, number, number, boolean]> = [];
  for (const [name, value] of Object.entries(named)) {
    if (value === undefined) continue;
    const list = Array.isArray(value);
    const added = list ? (value as readonly Statement[]) : [value as Statement];
    spans.push([name, statements.length, added.length, list]);
    statements.push(...added);
  }
  return {
    statements,
    split: (answers) => {
      const result: Record<string, unknown> = {};
      for (const [name, start, count, list] of spans) {
        result[name] = list ? answers.slice(start, start + count) : answers[start];
      }
      return result as Answers<T>;
    },
  };
}
