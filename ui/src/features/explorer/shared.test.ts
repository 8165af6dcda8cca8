import { describe, expect, it } from "vitest";
import type { OperationPayload } from "../../lib/bindings/openapi/OperationPayload";
import type { Schema } from "../../lib/bindings/openapi/Schema";
import { schemaChildren, typeLabel, unwrapNullable } from "./schema";
import { operationFromPayload, schemaFromPayload } from "./shared";

const s = (partial: Partial<Schema>): Schema => partial as Schema;
const ref = (id: number): Schema => s({ sharedId: id });

/** Row 17's document as the engine sends it: L0 … L63 each use the next level twice. */
function fanOut(levels: number): { schema: Schema; shared: Schema[] } {
  const shared: Schema[] = [];
  for (let level = 1; level < levels; level++) {
    shared.push(
      s({
        types: ["object"],
        refName: `L${level}`,
        properties: [
          { name: "a", schema: ref(level) },
          { name: "b", schema: ref(level) },
        ],
      }),
    );
  }
  shared.push(s({ types: ["string"], refName: `L${levels}` }));
  const schema = s({ types: ["object"], refName: "L0", properties: [{ name: "a", schema: ref(0) }, { name: "b", schema: ref(0) }] });
  return { schema, shared };
}

/** A table that counts which entries were read. */
function counted(shared: Schema[]): { table: Schema[]; read: Set<number> } {
  const read = new Set<number>();
  const table = new Proxy(shared, {
    get(target, key, receiver) {
      if (typeof key === "string" && /^\d+$/.test(key)) read.add(Number(key));
      return Reflect.get(target, key, receiver);
    },
  });
  return { table, read };
}

describe("shared schema payloads", () => {
  it("expands 64 levels of a fan-out-2 tree through the table, one entry per level", () => {
    const { schema, shared } = fanOut(64);
    const { table, read } = counted(shared);
    let node = schemaFromPayload({ schema, shared: table });
    expect(read.size).toBe(0);
    let depth = 0;
    for (;;) {
      const groups = schemaChildren(node);
      if (groups.length === 0) break;
      const [a, b] = groups[0].children;
      expect(a.label).toBe("a");
      // Both uses are one object: the tree is shared, never copied.
      expect(b.schema).toBe(a.schema);
      node = a.schema;
      depth++;
      expect(read.size).toBe(depth);
    }
    expect(depth).toBe(64);
    expect(node.refName).toBe("L64");
    expect(typeLabel(node)).toBe("string");
  });

  it("reads an ordinary schema exactly as before", () => {
    const plain = s({
      types: ["object"],
      required: ["id"],
      properties: [
        { name: "id", schema: s({ types: ["integer"], minimum: 1 }) },
        { name: "tags", schema: s({ types: ["array"], items: s({ types: ["string"] }) }) },
        { name: "note", schema: s({ anyOf: [s({ types: ["string"], maxLength: 5 }), s({ types: ["null"] })], description: "outer" }) },
      ],
      additionalProperties: false,
      oneOf: [s({ refName: "Cat" })],
      not: s({ types: ["null"] }),
    });
    const read = schemaFromPayload({ schema: plain, shared: [] });
    expect(read).toEqual(plain);
    expect(read.additionalProperties).toBe(false);
    expect(typeLabel(read)).toBe(typeLabel(plain));
    expect(schemaChildren(read)).toEqual(schemaChildren(plain));
    const note = read.properties[2].schema;
    expect(unwrapNullable(note)).toEqual(unwrapNullable(plain.properties[2].schema));
    expect(typeLabel(read.properties[1].schema)).toBe("array<string>");
  });

  it("resolves shared nodes in every place an operation holds a schema", () => {
    const item = s({ types: ["object"], refName: "Item", properties: [{ name: "id", schema: s({ types: ["integer"] }) }] });
    const payload: OperationPayload = {
      operation: {
        id: "op",
        method: "POST",
        path: "/items",
        parameters: [{ name: "q", location: "query", required: false, schema: ref(1) } as OperationPayload["operation"]["parameters"][0]],
        requestBody: { required: true, content: [{ mediaType: "application/json", schema: ref(0) }] } as OperationPayload["operation"]["requestBody"],
        responses: [
          {
            status: "200",
            description: "ok",
            headers: [{ name: "X-Id", schema: ref(1) }],
            content: [{ mediaType: "application/json", schema: s({ types: ["array"], items: ref(0) }) }],
          } as OperationPayload["operation"]["responses"][0],
        ],
        security: [],
      } as OperationPayload["operation"],
      shared: [item, s({ types: ["string"], format: "uuid" })],
    };
    const op = operationFromPayload(payload);
    const response = op.responses[0];
    expect(op.parameters[0].schema.format).toBe("uuid");
    expect(response.headers![0].schema).toBe(op.parameters[0].schema);
    const body = op.requestBody!.content[0].schema;
    expect(body).toEqual(item);
    const list = response.content![0].schema;
    expect(list.items).toBe(body);
    expect(typeLabel(list)).toBe("array<Item>");
    expect(op.method).toBe("POST");
  });

  it("reads an id outside the table as any, and a boolean additionalProperties as is", () => {
    const read = schemaFromPayload({ schema: s({ items: ref(7), additionalProperties: true }), shared: [] });
    expect(typeLabel(read.items!)).toBe("any");
    expect(read.additionalProperties).toBe(true);
    expect(schemaFromPayload({ schema: s({ additionalProperties: ref(0) }), shared: [s({ types: ["integer"] })] }).additionalProperties).toEqual({
      types: ["integer"],
    });
  });
});
