import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildAsyncApiDocument, buildEventSchemas } from './build-event-schemas';

const docsDir = join(__dirname, '../../../../docs/events');

/** The checked-in documents are what `npm run schemas` would write from the contracts now. */
describe('docs/events', () => {
  it('holds the current JSON Schema of every event, and no other', () => {
    const expected = buildEventSchemas();
    const files = readdirSync(docsDir).filter((name) => name.endsWith('.schema.json'));

    expect(files.sort()).toEqual(
      Object.keys(expected)
        .map((type) => `${type}.schema.json`)
        .sort(),
    );
    for (const [type, schema] of Object.entries(expected)) {
      const onDisk: unknown = JSON.parse(
        readFileSync(join(docsDir, `${type}.schema.json`), 'utf8'),
      );
      expect({ type, schema: onDisk }).toEqual({
        type,
        schema: JSON.parse(JSON.stringify(schema)),
      });
    }
  });

  it('holds the current AsyncAPI document (run `npm run schemas` after changing an event)', () => {
    const onDisk: unknown = JSON.parse(readFileSync(join(docsDir, 'asyncapi.json'), 'utf8'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(buildAsyncApiDocument())));
  });
});
