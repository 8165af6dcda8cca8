// Operations and schemas already fetched from the engine, so going back and forth between pages
// does not ask again. Cleared whenever a spec is imported or reloaded. Each arrives as a payload
// whose shared schema nodes are looked up lazily (`shared.ts`).

import type { Operation } from "../../lib/bindings/openapi/Operation";
import type { Schema } from "../../lib/bindings/openapi/Schema";
import { specOperation, specSchema } from "../../lib/ipc";
import { operationFromPayload, schemaFromPayload } from "./shared";

const operations = new Map<string, Promise<Operation>>();
const schemas = new Map<string, Promise<Schema>>();

function cached<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let p = map.get(key);
  if (!p) {
    p = load();
    map.set(key, p);
    p.catch(() => map.delete(key)); // failures are not remembered
  }
  return p;
}

export function loadOperation(specId: string, id: string): Promise<Operation> {
  return cached(operations, `${specId}\n${id}`, () => specOperation(specId, id).then(operationFromPayload));
}

export function loadSchema(specId: string, name: string): Promise<Schema> {
  return cached(schemas, `${specId}\n${name}`, () => specSchema(specId, name).then(schemaFromPayload));
}

export function clearDocCache(): void {
  operations.clear();
  schemas.clear();
}
