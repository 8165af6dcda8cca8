// Operations and schemas arrive as payloads: every schema node used more than once is written
// once, in the payload's `shared` table, and `{ sharedId: n }` stands in each place it is used.
// Writing such a schema out as a tree can be exponential (64 components each using the next one
// twice), so nothing here does: each node is wrapped so that its children are looked up only when
// something reads them (the tree opening a node), and each table entry is wrapped once, so what is
// built has the shape of the model (shared, not copied) and the size of what was looked at. To
// everything else a wrapped node is a plain `Schema`.

import type { Operation } from "../../lib/bindings/openapi/Operation";
import type { OperationPayload } from "../../lib/bindings/openapi/OperationPayload";
import type { Schema } from "../../lib/bindings/openapi/Schema";
import type { SchemaPayload } from "../../lib/bindings/openapi/SchemaPayload";

/** The fields of a schema that hold schemas. */
const CHILD_KEYS = new Set(["items", "properties", "additionalProperties", "oneOf", "anyOf", "allOf", "not"]);

/** Looks nodes up in one payload's table, wrapping each entry once. */
export class SharedSchemas {
  private readonly wrapped = new Map<number, Schema>();

  constructor(private readonly shared: Schema[]) {}

  /** The schema `node` stands for, its children resolved when first read. */
  resolve(node: Schema): Schema {
    const id = node.sharedId;
    if (id == null) return this.wrap(node);
    let hit = this.wrapped.get(id);
    if (hit === undefined) {
      // An id outside the table (never sent by Sextant) reads as "any".
      hit = this.wrap(this.shared[id] ?? ({} as Schema));
      this.wrapped.set(id, hit);
    }
    return hit;
  }

  private wrap(node: Schema): Schema {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "sharedId") continue;
      if (!CHILD_KEYS.has(key) || value == null) {
        out[key] = value;
        continue;
      }
      Object.defineProperty(out, key, {
        enumerable: true,
        configurable: true,
        get: () => {
          const resolved = this.child(key, value);
          Object.defineProperty(out, key, { value: resolved, enumerable: true, configurable: true, writable: true });
          return resolved;
        },
      });
    }
    return out as Schema;
  }

  private child(key: string, value: unknown): unknown {
    switch (key) {
      case "properties":
        return (value as { name: string; schema: Schema }[]).map((p) => ({ name: p.name, schema: this.resolve(p.schema) }));
      case "oneOf":
      case "anyOf":
      case "allOf":
        return (value as Schema[]).map((s) => this.resolve(s));
      case "additionalProperties":
        return typeof value === "object" ? this.resolve(value as Schema) : value;
      default:
        return this.resolve(value as Schema);
    }
  }
}

/** The component schema of a payload, as the schema view reads it. */
export function schemaFromPayload(payload: SchemaPayload): Schema {
  return new SharedSchemas(payload.shared).resolve(payload.schema);
}

/** The operation of a payload, its schemas resolved as the schema view reads them. */
export function operationFromPayload(payload: OperationPayload): Operation {
  const shared = new SharedSchemas(payload.shared);
  const op = payload.operation;
  const content = <T extends { schema: Schema }>(items: T[] | undefined): T[] | undefined =>
    items?.map((m) => ({ ...m, schema: shared.resolve(m.schema) }));
  return {
    ...op,
    parameters: content(op.parameters) ?? [],
    requestBody: op.requestBody == null ? op.requestBody : { ...op.requestBody, content: content(op.requestBody.content) ?? [] },
    responses: (op.responses ?? []).map((r) => ({
      ...r,
      headers: content(r.headers),
      content: content(r.content),
    })),
  };
}
