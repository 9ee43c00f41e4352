// Validates frames against the protocol's JSON Schemas (docs/schema/websocket), as their README prescribes.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

export const BASE = 'https://tocsin.dev/schema/websocket/v1/';

/** The schema folder of the repository this package lives in. */
export function schemaDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'docs', 'schema', 'websocket');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('docs/schema/websocket not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export interface JsonSchema {
  $id: string;
  required?: string[];
  properties?: Record<string, unknown>;
  $defs?: Record<string, JsonSchema>;
  [key: string]: unknown;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : name.endsWith('.json') ? [path] : [];
  });
}

const root = schemaDir();
/** Every schema by its path relative to the folder (`server/alert.json`). */
export const schemas: Map<string, JsonSchema> = new Map(
  walk(root).map((path) => [relative(root, path).split('\\').join('/'), JSON.parse(readFileSync(path, 'utf8')) as JsonSchema]),
);

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
for (const schema of schemas.values()) ajv.addSchema(schema);

export function schemaErrors(file: string, value: unknown): string | undefined {
  const validate = ajv.getSchema(BASE + file);
  if (!validate) throw new Error(`no schema ${file}`);
  if (validate(value)) return undefined;
  return ajv.errorsText(validate.errors, { separator: '; ' });
}

/** Throws unless the value is a valid frame of that direction. */
export function assertFrame(direction: 'server' | 'client', value: unknown): void {
  const errors = schemaErrors(`${direction}-message.json`, value);
  if (errors) throw new Error(`invalid ${direction} frame ${JSON.stringify(value)}: ${errors}`);
}

/** The `type`s a dispatcher lists. */
export function dispatcherTypes(direction: 'server' | 'client'): string[] {
  const schema = schemas.get(`${direction}-message.json`);
  const type = (schema?.properties?.type ?? {}) as { enum?: string[] };
  return [...(type.enum ?? [])].sort();
}

/** The per-type files of a direction (`server/*.json`) without extension. */
export function schemaFileTypes(direction: 'server' | 'client'): string[] {
  return [...schemas.keys()].filter((k) => k.startsWith(`${direction}/`)).map((k) => k.slice(direction.length + 1, -5)).sort();
}
