// `nx run <project>:typecheck`: type checks the TypeScript files of one project (tests included)
// with the root tsconfig.json's options. The libs it imports are read for their types but their
// own errors are reported by their own typecheck; `npm run typecheck` checks everything at once.
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '../..');
const projectRoot = process.argv[2];
if (!projectRoot) {
  console.error('usage: node tools/nx/typecheck.mjs <project root, e.g. apps/point-service>');
  process.exit(2);
}
const projectDir = `${join(root, projectRoot)}/`;

const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), undefined, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
    throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  },
});
const own = config.fileNames.filter((file) => file.startsWith(projectDir));
const program = ts.createProgram(own, config.options);
const diagnostics = [
  ...program.getOptionsDiagnostics(),
  ...program.getGlobalDiagnostics(),
  ...own.flatMap((file) => {
    const source = program.getSourceFile(file);
    return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
  }),
];

if (diagnostics.length > 0) {
  const host = {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => root,
    getNewLine: () => '\n',
  };
  console.error(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
  process.exit(1);
}
console.log(`${relative(root, projectDir)}: ${own.length} files type check`);
