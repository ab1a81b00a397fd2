import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';

// Validates requests against GitHub's own OpenAPI description (@octokit/openapi): the route must
// exist, every query parameter must be one the operation takes, and the body must match its
// schema with objects closed, so that a misspelt field name is an error rather than ignored.

type Schema = Record<string, unknown>;
interface Operation {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  readonly literals: number;
  readonly query: ReadonlySet<string>;
  readonly body: Schema | undefined;
}

const require = createRequire(import.meta.url);
const spec = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8')) as {
  paths: Record<string, Record<string, Schema>>;
  components: Record<string, Record<string, Schema>>;
};

function resolve(node: unknown, seen: ReadonlySet<string> = new Set()): unknown {
  if (Array.isArray(node)) return node.map((n) => resolve(n, seen));
  if (node === null || typeof node !== 'object') return node;
  const ref = (node as Schema).$ref;
  if (typeof ref === 'string') {
    if (seen.has(ref)) return {}; // a recursive schema: accept the inner level
    const [, , group, name] = ref.split('/');
    return resolve(spec.components[group as string]?.[name as string], new Set([...seen, ref]));
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v, seen)]));
}

/**
 * Object schemas that list their properties accept no others, unless they say so; and OpenAPI
 * 3.0's `nullable` becomes plain JSON Schema (Ajv refuses it where no `type` stands beside it).
 */
function close(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(close);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Schema;
  const schema = Object.fromEntries(
    Object.entries(rest).map(([k, v]) => [k, k === 'properties' ? mapValues(v as Schema, close) : close(v)]),
  );
  if (schema.properties && schema.additionalProperties === undefined && !schema.oneOf && !schema.anyOf) {
    schema.additionalProperties = false;
  }
  if (nullable !== true) return schema;
  if (typeof schema.type === 'string') return { ...schema, type: [schema.type, 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
}

function mapValues(object: Schema, f: (v: unknown) => unknown): Schema {
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, f(v)]));
}

const operations: Operation[] = [];
for (const [template, methods] of Object.entries(spec.paths)) {
  for (const [method, operation] of Object.entries(methods)) {
    if (!['get', 'post', 'patch', 'put', 'delete'].includes(method)) continue;
    const parameters = (resolve(operation.parameters ?? []) as Schema[]).filter((p) => p.in === 'query');
    const content = (operation.requestBody as Schema | undefined)?.content as Record<string, Schema> | undefined;
    const body = content?.['application/json']?.schema;
    const segments = template.split('/');
    operations.push({
      method: method.toUpperCase(),
      template,
      pattern: new RegExp(
        `^${segments.map((s) => (s.startsWith('{') ? '[^/]+' : s.replace(/[.]/g, '\\.'))).join('/')}$`,
      ),
      literals: segments.filter((s) => s !== '' && !s.startsWith('{')).length,
      query: new Set(parameters.map((p) => p.name as string)),
      body: body ? (close(resolve(body)) as Schema) : undefined,
    });
  }
}
operations.sort((a, b) => b.literals - a.literals);

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const compiled = new Map<Operation, ValidateFunction>();

/** The route template a request matches, e.g. `POST /repos/{owner}/{repo}/git/refs`. */
export function routeOf(method: string, path: string): string | undefined {
  const operation = operations.find((o) => o.method === method && o.pattern.test(path));
  return operation ? `${method} ${operation.template}` : undefined;
}

/** Problems with a request, in words; empty when GitHub would accept its shape. */
export function validateRequest(method: string, path: string, query: Record<string, string>, body: unknown): string[] {
  // GraphQL is not in the REST description: a POST with a query string, and nothing else.
  if (path === '/graphql') {
    const ok = method === 'POST' && typeof (body as { query?: unknown } | undefined)?.query === 'string';
    return ok ? [] : [`${method} /graphql: GraphQL takes a POST with a query`];
  }
  const operation = operations.find((o) => o.method === method && o.pattern.test(path));
  if (!operation) return [`${method} ${path}: no such route in GitHub's REST API`];
  const route = `${method} ${operation.template}`;
  const problems = Object.keys(query)
    .filter((name) => !operation.query.has(name))
    .map((name) => `${route}: unknown query parameter ${name}`);
  if (operation.body) {
    let validate = compiled.get(operation);
    if (!validate) {
      validate = ajv.compile(operation.body);
      compiled.set(operation, validate);
    }
    if (!validate(body ?? {})) {
      problems.push(
        ...(validate.errors ?? []).map(
          (e) => `${route}: body${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`,
        ),
      );
    }
  } else if (body !== undefined && body !== '' && method !== 'GET' && method !== 'DELETE') {
    problems.push(`${route}: takes no body`);
  }
  return problems;
}
