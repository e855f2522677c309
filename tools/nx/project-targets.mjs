// Nx plugin (nx.json "plugins"): gives every app and lib under apps/ and libs/ the same four
// targets, so a new project needs only its project.json with name and tags. What each target
// reads and writes (cache, inputs, outputs, dependsOn) is in nx.json's targetDefaults; a
// project.json target of the same name overrides these (apps/e2e's test does).
import { dirname } from 'node:path';

const run = (command) => ({ executor: 'nx:run-commands', options: { command } });

/** The targets of the project at `root` (e.g. apps/point-service). */
export function targetsOf(root) {
  return {
    build: run(`node tools/build.mjs ${root}`),
    // Its unit and integration tests (integration ones against the real servers, each run in a
    // schema, vhost and Redis prefix of its own); every app and lib has some.
    test: run(`jest --selectProjects unit integration --runInBand ${root}/`),
    lint: run(
      `eslint ${root} --max-warnings=0 && prettier --check ${root} --ignore-unknown --log-level warn`,
    ),
    typecheck: run(`node tools/nx/typecheck.mjs ${root}`),
  };
}

export const createNodes = [
  '**/project.json',
  (files) =>
    files
      .filter((file) => /^(apps|libs)\//.test(file))
      .map((file) => {
        const root = dirname(file);
        return [file, { projects: { [root]: { targets: targetsOf(root) } } }];
      }),
];
