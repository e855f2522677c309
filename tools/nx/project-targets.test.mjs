import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createNodes, targetsOf } from './project-targets.mjs';

const [pattern, inferProjects] = createNodes;

describe('project-targets plugin', () => {
  it('reads every project.json', () => {
    assert.equal(pattern, '**/project.json');
  });

  it('gives each app and lib build, test, lint and typecheck, and leaves tools/ to its own project.json', () => {
    const results = inferProjects([
      'apps/point-service/project.json',
      'libs/shared/cache/project.json',
      'tools/project.json',
    ]);
    assert.deepEqual(
      results.map(([file, { projects }]) => [
        file,
        Object.keys(projects),
        Object.keys(Object.values(projects)[0].targets),
      ]),
      [
        [
          'apps/point-service/project.json',
          ['apps/point-service'],
          ['build', 'test', 'lint', 'typecheck'],
        ],
        [
          'libs/shared/cache/project.json',
          ['libs/shared/cache'],
          ['build', 'test', 'lint', 'typecheck'],
        ],
      ],
    );
  });

  it("points each target's command at the project's own root", () => {
    const targets = targetsOf('libs/shared/cache');
    assert.equal(targets.build.options.command, 'node tools/build.mjs libs/shared/cache');
    assert.equal(
      targets.test.options.command,
      'jest --selectProjects unit integration --runInBand libs/shared/cache/',
    );
    assert.match(
      targets.lint.options.command,
      /^eslint libs\/shared\/cache --max-warnings=0 && prettier --check libs\/shared\/cache /,
    );
    assert.equal(
      targets.typecheck.options.command,
      'node tools/nx/typecheck.mjs libs/shared/cache',
    );
    for (const target of Object.values(targets)) assert.equal(target.executor, 'nx:run-commands');
  });
});
