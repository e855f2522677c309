// The operations of an OpenAPI 3 document, as the client generator needs them (pure).
import { tsType, union } from './schema-types.mjs';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const WRITE_METHODS = new Set(['put', 'post', 'delete', 'patch']);
const JSON_MEDIA_TYPE = 'application/json';

const upperFirst = (word) => word.charAt(0).toUpperCase() + word.slice(1);
const lowerFirst = (word) => word.charAt(0).toLowerCase() + word.slice(1);
const camelCase = (words) => lowerFirst(words.map(upperFirst).join(''));
const wordsOf = (text) => text.split(/[^A-Za-z0-9]+/).filter(Boolean);

/**
 * The client method of an operation. Nest's `MembersController_register` becomes
 * `membersRegister`; another operationId is camel-cased; without one, method and path are used
 * (`get /api/v1/members/{memberId}` becomes `getApiV1MembersByMemberId`).
 */
export function methodName(operationId, method, path) {
  const nest = /^([A-Za-z0-9]+)Controller_([A-Za-z0-9_]+)$/.exec(operationId ?? '');
  if (nest) return camelCase([...wordsOf(nest[1]), ...wordsOf(nest[2])]);
  if (operationId) return camelCase(wordsOf(operationId));
  const segments = path
    .split('/')
    .filter(Boolean)
    .flatMap((segment) => {
      const parameter = /^\{(.+)\}$/.exec(segment);
      return parameter ? ['by', ...wordsOf(parameter[1])] : wordsOf(segment);
    });
  return camelCase([method.toLowerCase(), ...segments]);
}

/** Follows a local `$ref` (`#/components/parameters/Limit`) to the object it names. */
export function resolveRef(document, value) {
  if (!value?.$ref) return value;
  if (!value.$ref.startsWith('#/')) throw new Error(`Unsupported $ref ${value.$ref}`);
  const target = value.$ref
    .slice(2)
    .split('/')
    .reduce((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], document);
  if (target === undefined) throw new Error(`Unresolved $ref ${value.$ref}`);
  return resolveRef(document, target);
}

function parametersIn(document, parameters, location) {
  return parameters
    .map((parameter) => resolveRef(document, parameter))
    .filter((parameter) => parameter.in === location)
    .map((parameter) => ({
      name: parameter.name,
      required: location === 'path' || parameter.required === true,
      type: tsType(parameter.schema),
      description: parameter.description,
    }));
}

function requestBodyOf(document, operation) {
  const requestBody = resolveRef(document, operation.requestBody);
  if (!requestBody) return undefined;
  const json = requestBody.content?.[JSON_MEDIA_TYPE];
  return { required: requestBody.required === true, type: json ? tsType(json.schema) : 'unknown' };
}

/** The answer type: the JSON schemas of the 2xx responses; `void` when all are 204; else unknown. */
export function responseTypeOf(document, responses = {}) {
  const successes = Object.entries(responses)
    .filter(([status]) => /^2\d\d$/.test(status))
    .map(([status, response]) => [status, resolveRef(document, response)]);
  if (successes.length === 0) return 'unknown';
  if (successes.every(([status]) => status === '204')) return 'void';
  const types = successes.map(([status, response]) => {
    if (status === '204') return 'undefined';
    const json = response.content?.[JSON_MEDIA_TYPE];
    return json ? tsType(json.schema) : 'unknown';
  });
  return union(types);
}

/**
 * Every operation of the document, sorted by method name, with its path and query parameters,
 * request body, answer type and whether it needs the bearer token. Two operations with one
 * method name are an error.
 */
export function collectOperations(document) {
  const operations = [];
  for (const [path, pathItem] of Object.entries(document.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!operation) continue;
      const parameters = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])];
      const security = operation.security ?? document.security ?? [];
      operations.push({
        name: methodName(operation.operationId, method, path),
        method: method.toUpperCase(),
        path,
        summary: operation.summary,
        description: operation.description,
        deprecated: operation.deprecated === true,
        pathParams: parametersIn(document, parameters, 'path'),
        queryParams: parametersIn(document, parameters, 'query'),
        body: requestBodyOf(document, operation),
        responseType: responseTypeOf(document, operation.responses),
        secured: security.some((requirement) => Object.keys(requirement).length > 0),
        write: WRITE_METHODS.has(method),
      });
    }
  }
  operations.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let index = 1; index < operations.length; index += 1) {
    const [previous, current] = [operations[index - 1], operations[index]];
    if (previous.name === current.name) {
      throw new Error(
        `Two operations would be the client method ${current.name}: ` +
          `${previous.method} ${previous.path} and ${current.method} ${current.path}`,
      );
    }
  }
  return operations;
}
