// OpenAPI 3 schema objects to TypeScript type expressions (pure; used by render-client.mjs).

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const SCHEMA_REF = '#/components/schemas/';

/** A schema name as a TypeScript type name: non-identifier characters become `_`. */
export function typeName(name) {
  const cleaned = name.replace(/[^A-Za-z0-9_$]/g, '_');
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

/** The type name a `$ref` points at; only references to components/schemas are supported. */
export function refTypeName(ref) {
  if (!ref.startsWith(SCHEMA_REF)) throw new Error(`Unsupported $ref ${ref}`);
  return typeName(ref.slice(SCHEMA_REF.length));
}

/** An object key as TypeScript writes it: bare when it is an identifier, quoted otherwise. */
export function propertyKey(name) {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

/** A JSDoc block from a schema's description, default, example and deprecation, or ''. */
export function docComment(schema = {}, extraLines = []) {
  const lines = [...(schema.description ? schema.description.split('\n') : []), ...extraLines];
  if (schema.default !== undefined) lines.push(`@default ${JSON.stringify(schema.default)}`);
  if (schema.example !== undefined) lines.push(`@example ${JSON.stringify(schema.example)}`);
  if (schema.deprecated) lines.push('@deprecated');
  if (lines.length === 0) return '';
  const safe = lines.map((line) => line.replace(/\*\//g, '*\\/'));
  return `/**\n${safe.map((line) => ` * ${line}`.trimEnd()).join('\n')}\n */\n`;
}

/** Members joined by `|`, without repeats; any `unknown` member makes the whole union unknown. */
export function union(types) {
  const unique = [...new Set(types)];
  if (unique.length === 0) return 'never';
  if (unique.includes('unknown')) return 'unknown';
  return unique.length === 1 ? unique[0] : unique.map(parenthesized).join(' | ');
}

function intersection(types) {
  const unique = [...new Set(types)].filter((type) => type !== 'unknown');
  if (unique.length === 0) return 'unknown';
  return unique.length === 1 ? unique[0] : unique.map(parenthesized).join(' & ');
}

function parenthesized(type) {
  return /^[\w$.]+(\[\])*$|^\{[\s\S]*\}$|^'.*'$|^".*"$/.test(type) ? type : `(${type})`;
}

function literal(value) {
  return JSON.stringify(value);
}

function arrayOf(itemType) {
  return `${parenthesized(itemType)}[]`;
}

/** Whether tsType renders the schema as an object literal (so it can be an interface). */
export function isObjectLiteralSchema(schema) {
  return (
    !schema.$ref &&
    !schema.nullable &&
    !schema.enum &&
    !schema.allOf &&
    !schema.oneOf &&
    !schema.anyOf &&
    (schema.type === 'object' || schema.type === undefined) &&
    Object.keys(schema.properties ?? {}).length > 0
  );
}

/** The members of an object literal type, one per line (without the braces). */
export function objectMembers(schema) {
  const required = new Set(schema.required ?? []);
  const members = Object.entries(schema.properties ?? {}).map(
    ([name, property]) =>
      `${docComment(property)}${propertyKey(name)}${required.has(name) ? '' : '?'}: ${tsType(property)};`,
  );
  const extra = schema.additionalProperties;
  if (extra === true || (typeof extra === 'object' && extra !== null)) {
    // With named properties, the index signature has to admit their types as well.
    members.push(`[key: string]: ${members.length > 0 ? 'unknown' : tsType(extra)};`);
  }
  return members;
}

function objectType(schema) {
  const hasProperties = Object.keys(schema.properties ?? {}).length > 0;
  const extra = schema.additionalProperties;
  if (!hasProperties) {
    if (extra === false) return 'Record<string, never>';
    if (typeof extra === 'object' && extra !== null) return `Record<string, ${tsType(extra)}>`;
    return 'Record<string, unknown>';
  }
  return `{\n${objectMembers(schema).join('\n')}\n}`;
}

function typeOfKeyword(schema, type) {
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return arrayOf(tsType(schema.items));
    case 'object':
      return objectType(schema);
    default:
      return schema.properties || schema.additionalProperties ? objectType(schema) : 'unknown';
  }
}

function baseType(schema) {
  if (schema.$ref) return refTypeName(schema.$ref);
  if ('const' in schema) return literal(schema.const);
  if (Array.isArray(schema.enum)) return union(schema.enum.map(literal));
  if (schema.allOf) return intersection(schema.allOf.map(tsType));
  if (schema.oneOf || schema.anyOf) return union((schema.oneOf ?? schema.anyOf).map(tsType));
  if (Array.isArray(schema.type))
    return union(schema.type.map((type) => typeOfKeyword(schema, type)));
  return typeOfKeyword(schema, schema.type);
}

/** The TypeScript type of a schema; a missing or empty schema is `unknown`. */
export function tsType(schema) {
  if (schema === undefined || schema === null || typeof schema !== 'object') return 'unknown';
  const type = baseType(schema);
  return schema.nullable ? union([type, 'null']) : type;
}
