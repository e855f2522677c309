import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appLogNotes } from './harness.mjs';

describe('appLogNotes', () => {
  it('says how many lines each app printed and quotes the first', () => {
    assert.deepEqual(
      appLogNotes({
        gateway: { lines: 0, first: [] },
        'point-service': { lines: 2, first: ['{"level":"warn"}', '{"level":"error"}'] },
      }),
      [
        'gateway printed 0 line(s) at LOG_LEVEL=warn',
        'point-service printed 2 line(s) at LOG_LEVEL=warn; the first: `{"level":"warn"}`',
      ],
    );
  });
});
