// Fields the API does not know. The models' validate() comes from JSON schemas that allow
// additional properties, so `spec.replcias: 2` or a container's `imagePullPolicey` would pass it
// (and the API server would drop them silently, or reject them with strict field validation).
// The models' TypeScript declarations do list every field, so the objects are walked against
// those types with the TypeScript compiler: any key a type does not declare is reported.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from './binaries.mjs';
import { MODELS, modelFor } from './models.mjs';

const require = createRequire(join(repoRoot, 'package.json'));

let compiled;

/** One program declaring a type alias per model, compiled on first use (about a second). */
function compile() {
  if (compiled) return compiled;
  const ts = require('typescript');
  const entries = [...MODELS.values()];
  const fileName = join(repoRoot, 'tools/k8s/__models__.ts');
  const source = entries
    .map(
      ({ typeModule, typeName }, index) =>
        `import type { ${typeName} as T${index} } from '${typeModule}';`,
    )
    .concat(entries.map((_, index) => `export type M${index} = T${index};`))
    .join('\n');
  const options = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    target: ts.ScriptTarget.ES2022,
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (
    (exists) => (name) =>
      name === fileName || exists(name)
  )(host.fileExists.bind(host));
  host.readFile = (name) => (name === fileName ? source : readFile(name));
  host.getSourceFile = (name, languageVersion, ...rest) =>
    name === fileName
      ? ts.createSourceFile(name, source, languageVersion, true)
      : getSourceFile(name, languageVersion, ...rest);
  const program = ts.createProgram([fileName], options, host);
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(fileName);
  const typeByModel = new Map();
  for (const statement of file.statements) {
    if (!ts.isTypeAliasDeclaration(statement)) continue;
    const index = Number(statement.name.text.slice(1));
    typeByModel.set(entries[index].model, checker.getTypeAtLocation(statement.name));
  }
  compiled = { ts, checker, typeByModel };
  return compiled;
}

/**
 * Paths of fields `object` has that its kind does not declare, like `spec.replcias` or
 * `spec.template.spec.containers[0].imagee`. Unknown kinds give none (validate reports those).
 */
export function unknownFields(object) {
  const entry = modelFor(object);
  if (!entry) return [];
  const { ts, checker, typeByModel } = compile();
  const found = [];

  const objectMembers = (type) =>
    (type.isUnion() ? type.types : [type]).filter(
      (member) =>
        !(member.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) &&
        member.flags & ts.TypeFlags.Object,
    );
  const arrayElement = (types) => {
    const array = types.find((member) => checker.isArrayType(member));
    return array && checker.getTypeArguments(array)[0];
  };

  const walk = (value, type, path) => {
    if (value === null || typeof value !== 'object') return;
    const members = objectMembers(type);
    if (members.length === 0) return; // any, unknown, a primitive: nothing to compare
    if (Array.isArray(value)) {
      const element = arrayElement(members);
      if (element) value.forEach((item, index) => walk(item, element, `${path}[${index}]`));
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      const declared = members
        .map((member) => checker.getPropertyOfType(member, key))
        .find(Boolean);
      if (declared) {
        walk(child, checker.getTypeOfSymbol(declared), childPath);
        continue;
      }
      const index = members
        .map((member) => checker.getIndexTypeOfType(member, ts.IndexKind.String))
        .find(Boolean);
      if (index) walk(child, index, childPath);
      // A type with neither the property nor an index signature does not take this key; an
      // empty object type (the schema's `object` without properties) takes anything.
      else if (members.some((member) => checker.getPropertiesOfType(member).length > 0)) {
        found.push(childPath);
      }
    }
  };

  walk(object, typeByModel.get(entry.model), '');
  return found;
}
