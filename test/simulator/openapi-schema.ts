import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';

// Responses and webhooks checked against GitHub's OpenAPI description (@octokit/openapi): its
// `paths` for what a route answers, its `x-webhooks` for the events @octokit/webhooks-schemas
// does not have yet (`sub_issues`, `issue_dependencies`). OpenAPI 3.0's `nullable` becomes plain
// JSON Schema, and objects that list their properties accept no others, so a misspelt field in
// what the fake sends is an error rather than ignored.

type Schema = Record<string, unknown>;
interface Spec {
  paths: Record<string, Record<string, Schema>>;
  components: Record<string, Record<string, Schema>>;
  'x-webhooks': Record<string, Record<string, Schema>>;
}

const require = createRequire(import.meta.url);
let loaded: { spec: Spec; ajv: Ajv; routes: { method: string; template: string; pattern: RegExp; literals: number }[] };
const compiled = new Map<string, ValidateFunction>();

/** Parsed, converted and registered once, on first use: the description is large. */
function openapi(): typeof loaded {
  if (loaded) return loaded;
  const spec = JSON.parse(
    readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'),
  ) as Spec;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(
    { components: { schemas: convert(spec.components.schemas), responses: convert(spec.components.responses) } },
    'openapi',
  );
  const routes = Object.entries(spec.paths).flatMap(([template, methods]) =>
    Object.keys(methods)
      .filter((m) => ['get', 'post', 'patch', 'put', 'delete'].includes(m))
      .map((method) => {
        const segments = template.split('/');
        return {
          method: method.toUpperCase(),
          template,
          pattern: new RegExp(
            `^${segments.map((s) => (s.startsWith('{') ? '[^/]+' : s.replace(/[.]/g, '\\.'))).join('/')}$`,
          ),
          literals: segments.filter((s) => s !== '' && !s.startsWith('{')).length,
        };
      }),
  );
  routes.sort((a, b) => b.literals - a.literals);
  loaded = { spec, ajv, routes };
  return loaded;
}

/** A schema with OpenAPI 3.0 turned into JSON Schema (Ajv's draft-07) and its objects closed. */
function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, example: _example, examples: _examples, ...rest } = node as Schema;
  const schema: Schema = Object.fromEntries(
    Object.entries(rest).map(([k, v]) => [
      k,
      k === 'properties'
        ? Object.fromEntries(Object.entries(v as Schema).map(([p, s]) => [p, convert(s)]))
        : convert(v),
    ]),
  );
  if (schema.properties && schema.additionalProperties === undefined && !schema.oneOf && !schema.anyOf && !schema.allOf)
    schema.additionalProperties = false;
  if (nullable !== true) return schema;
  // GitHub's description means `nullable` to admit null even beside an `enum` that lists no null.
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  if (typeof schema.type === 'string') return { ...schema, type: [schema.type, 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
}

/** Local refs (`#/components/…`) made to point into the registered description. */
function rebase(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rebase);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `openapi${v}` : rebase(v),
    ]),
  );
}

function check(key: string, schema: () => unknown, value: unknown, label: string): string[] {
  let validate = compiled.get(key);
  if (!validate) {
    validate = openapi().ajv.compile(rebase(convert(schema())) as Schema);
    compiled.set(key, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? [])
    .slice(0, 8)
    .map((e) => `${label}: ${e.instancePath || '(root)'} ${e.message} ${JSON.stringify(e.params)}`);
}

/** The key of an event in `x-webhooks`: `sub_issues` + `sub_issue_added` → `sub-issues-sub-issue-added`. */
export function webhookKey(event: string, action: string | undefined): string {
  return `${event}${action ? `-${action}` : ''}`.replaceAll('_', '-');
}

/** Whether GitHub's OpenAPI description has a schema for this event and action. */
export function hasOpenApiWebhook(event: string, action: string | undefined): boolean {
  return webhookKey(event, action) in openapi().spec['x-webhooks'];
}

/** Problems with a webhook payload, in words, against `x-webhooks`; empty when it fits. */
export function validateOpenApiWebhook(event: string, payload: Record<string, unknown>): string[] {
  const key = webhookKey(event, payload.action as string | undefined);
  const hook = openapi().spec['x-webhooks'][key]?.post;
  if (!hook) return [`${key}: no such webhook in GitHub's OpenAPI description`];
  const content = (hook.requestBody as Schema).content as Record<string, { schema: Schema }>;
  return check(`webhook ${key}`, () => content['application/json']?.schema, payload, key);
}

/** The route template a request matches, e.g. `GET /repos/{owner}/{repo}/issues/{issue_number}/sub_issues`. */
export function templateOf(method: string, path: string): string | undefined {
  const route = openapi().routes.find((r) => r.method === method && r.pattern.test(path));
  return route ? `${method} ${route.template}` : undefined;
}

/** Problems with a response, in words, against what the route's description says it answers. */
export function validateResponse(method: string, path: string, status: number, body: unknown): string[] {
  const route = openapi().routes.find((r) => r.method === method && r.pattern.test(path.split('?')[0] as string));
  if (!route) return [`${method} ${path}: no such route in GitHub's REST API`];
  const label = `${method} ${route.template} ${status}`;
  const operation = openapi().spec.paths[route.template]?.[method.toLowerCase()] as Schema;
  let response = (operation.responses as Record<string, Schema>)[String(status)];
  if (!response) return [`${label}: the route never answers ${status}`];
  const ref = response.$ref;
  if (typeof ref === 'string') response = openapi().spec.components.responses?.[ref.split('/').at(-1) as string] ?? {};
  const schema = (response.content as Record<string, { schema?: Schema }> | undefined)?.['application/json']?.schema;
  if (!schema) return body === undefined || body === '' ? [] : [`${label}: answers no body`];
  return check(label, () => schema, body, label);
}
