import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { hasOpenApiWebhook, validateOpenApiWebhook } from './openapi-schema.js';

// Every webhook the simulator sends is checked against GitHub's webhook schemas
// (@octokit/webhooks-schemas), so a payload the App reads is one GitHub could have sent. GitHub's
// own example payloads predate some required fields; `conform` fills those from the schema
// (a value of the declared type), so payloads stay small to write and still validate. Events
// those schemas lack (`sub_issues`, `issue_dependencies`) are checked against the `x-webhooks` of
// GitHub's OpenAPI description instead (openapi-schema.ts), and sent whole: nothing is filled in.

type Schema = Record<string, unknown>;
const require = createRequire(import.meta.url);
const root = require('@octokit/webhooks-schemas') as { definitions: Record<string, Schema> };
// GitHub added `sub_issues_summary` to the issues its webhooks carry after those schemas were cut
// (@octokit/openapi-webhooks-types has it, optional, on `issues` and `issue_comment` events):
// the issue definition learns it, as that newer description states it.
const issue = root.definitions.issue as { properties: Record<string, Schema> };
issue.properties.sub_issues_summary ??= {
  type: 'object',
  required: ['total', 'completed', 'percent_completed'],
  properties: { total: { type: 'integer' }, completed: { type: 'integer' }, percent_completed: { type: 'integer' } },
  additionalProperties: false,
};
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(root, 'webhooks');
const compiled = new Map<string, ValidateFunction>();

function schemaName(event: string, payload: Record<string, unknown>): string {
  return event === 'push' ? 'push$event' : `${event}$${String(payload.action)}`;
}

function validator(name: string): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.compile({ $ref: `webhooks#/definitions/${name}` });
    compiled.set(name, validate);
  }
  return validate;
}

/** The events the simulator sends: compiling their validators is slow, so it happens up front. */
export function compileValidators(): void {
  for (const name of [
    'issues$labeled',
    'issues$edited',
    'issue_comment$created',
    'pull_request$opened',
    'push$event',
    'workflow_run$completed',
  ]) {
    validator(name);
  }
  for (const action of ['sub_issue_added', 'sub_issue_removed', 'parent_issue_added', 'parent_issue_removed'])
    validateOpenApiWebhook('sub_issues', { action });
  for (const action of ['blocked_by_added', 'blocked_by_removed', 'blocking_added', 'blocking_removed'])
    validateOpenApiWebhook('issue_dependencies', { action });
}

/** Problems with a payload, in words; empty when it fits the schema of its event and action. */
export function validateWebhook(event: string, payload: Record<string, unknown>): string[] {
  const name = schemaName(event, payload);
  if (!(name in root.definitions)) {
    if (hasOpenApiWebhook(event, payload.action as string | undefined)) return validateOpenApiWebhook(event, payload);
    return [`${name}: no such webhook in GitHub's schemas`];
  }
  const validate = validator(name);
  if (validate(payload)) return [];
  return (validate.errors ?? []).slice(0, 5).map((e) => `${name}: ${e.instancePath || '(root)'} ${e.message}`);
}

/** Fills every missing required property with a value of its schema's type; returns the payload. */
export function conform(event: string, payload: Record<string, unknown>): Record<string, unknown> {
  const name = schemaName(event, payload);
  if (!(name in root.definitions)) return payload;
  const validate = validator(name);
  for (let round = 0; round < 20 && !validate(payload); round++) {
    const missing = (validate.errors ?? []).filter((e) => e.keyword === 'required');
    if (missing.length === 0) break;
    for (const error of missing) fill(name, payload, error);
  }
  return payload;
}

function fill(name: string, payload: Record<string, unknown>, error: ErrorObject): void {
  const target = pointer(payload, error.instancePath) as Record<string, unknown> | undefined;
  const property = (error.params as { missingProperty: string }).missingProperty;
  if (!target || typeof target !== 'object' || property in target) return;
  // Ajv's schemaPath is relative to the referenced schema; walk the event's schema instead.
  const at = error.instancePath
    .split('/')
    .filter(Boolean)
    .reduce<Schema | undefined>((node, key) => step(node, key), root.definitions[name]);
  target[property] = sample(step(at, property));
}

/** The schema of `key` inside `node`: a property, an array item, or either within a combinator. */
function step(node: Schema | undefined, key: string): Schema | undefined {
  const schema = resolve(node);
  if (!schema) return undefined;
  const properties = schema.properties as Record<string, Schema> | undefined;
  if (properties && key in properties) return resolve(properties[key]);
  if (/^\d+$/.test(key) && schema.items) return resolve(schema.items as Schema);
  for (const alternative of [
    ...((schema.allOf ?? []) as Schema[]),
    ...((schema.anyOf ?? []) as Schema[]),
    ...((schema.oneOf ?? []) as Schema[]),
  ]) {
    const found = step(alternative, key);
    if (found) return found;
  }
  return undefined;
}

function sample(schema: Schema | undefined, depth = 0): unknown {
  if (!schema || depth > 6) return null;
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives)
    return sample(resolve(alternatives.find((s) => resolve(s)?.type !== 'null') ?? alternatives[0]), depth + 1);
  // Where null is allowed it is the safest fill: nothing claims a value GitHub did not send.
  if (Array.isArray(schema.enum)) return schema.enum.includes(null) ? null : schema.enum[0];
  if (Array.isArray(schema.type) && schema.type.includes('null')) return null;
  const type = schema.type;
  switch (type) {
    case 'string':
      return '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'null':
      return null;
    case 'object': {
      const required = (schema.required ?? []) as string[];
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      return Object.fromEntries(required.map((key) => [key, sample(resolve(properties[key]), depth + 1)]));
    }
    default:
      return null;
  }
}

function resolve(schema: Schema | undefined): Schema | undefined {
  const ref = schema?.$ref;
  return typeof ref === 'string' ? resolve(at(root, ref.replace(/^#/, ''))) : schema;
}

function at(document: unknown, path: string): Schema | undefined {
  return pointer(document, path) as Schema | undefined;
}

function pointer(document: unknown, path: string): unknown {
  let node = document;
  for (const part of path.split('/').filter(Boolean)) {
    const key = decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~');
    node = (node as Record<string, unknown> | undefined)?.[key];
    if (node === undefined) return undefined;
  }
  return node;
}
