// What the schema tree shows for a node: its type label, constraints and children. Model fields
// that the Rust side leaves out arrive as `undefined`; everything here tests with `== null`.

import type { JsonValue } from "../../lib/bindings/serde_json/JsonValue";
import type { Schema } from "../../lib/bindings/openapi/Schema";

const list = <T>(v: T[] | null | undefined): T[] => (v == null ? [] : v);

/** The allowed types without "null". */
export function nonNullTypes(s: Schema): string[] {
  return list(s.types).filter((t) => t !== "null");
}

function isNullOnly(s: Schema): boolean {
  const t = list(s.types);
  return t.length === 1 && t[0] === "null" && s.refName == null;
}

/**
 * `anyOf: [X, {type: null}]` (how Pydantic says "optional X") shown as X, nullable. The outer
 * schema's own documentation (description, default, title, examples) wins over the branch's.
 */
export function unwrapNullable(s: Schema): Schema {
  for (const key of ["anyOf", "oneOf"] as const) {
    const branches = list(s[key]);
    if (branches.length < 2 || list(s.properties).length > 0) continue;
    const real = branches.filter((b) => !isNullOnly(b));
    if (real.length !== 1 || real.length === branches.length) continue;
    const inner = real[0];
    return {
      ...inner,
      nullable: true,
      title: s.title ?? inner.title,
      description: s.description ?? inner.description,
      default: s.default ?? inner.default,
      examples: list(s.examples).length > 0 ? s.examples : inner.examples,
      deprecated: s.deprecated || inner.deprecated,
      readOnly: s.readOnly || inner.readOnly,
      writeOnly: s.writeOnly || inner.writeOnly,
    };
  }
  return s;
}

/** `string`, `integer`, `array<Item>`, `object`, `string | integer`, `any`, `oneOf`... */
export function typeLabel(raw: Schema): string {
  const s = unwrapNullable(raw);
  if (s.recursive) return s.refName ?? "object";
  let types = nonNullTypes(s);
  if (types.length === 0) {
    if (list(s.properties).length > 0 || s.additionalProperties != null) types = ["object"];
    else if (s.items != null) types = ["array"];
    else if (list(s.oneOf).length > 0) return "oneOf";
    else if (list(s.anyOf).length > 0) return "anyOf";
    else if (list(s.allOf).length > 0) return s.refName ?? "allOf";
    else if (s.enum != null && s.enum.length > 0) return "enum";
    else return "any";
  }
  return types
    .map((t) => {
      if (t === "array" && s.items != null) {
        const inner = unwrapNullable(s.items);
        const name = inner.refName ?? typeLabel(inner);
        return `array<${name}>`;
      }
      if (t === "string" && s.contentMediaType != null) return `file`;
      return t;
    })
    .join(" | ");
}

export function formatJson(v: JsonValue | undefined): string {
  if (v === undefined) return "";
  if (typeof v === "string") return JSON.stringify(v);
  return JSON.stringify(v);
}

function num(n: number): string {
  return String(n);
}

/** Short constraint labels: `≥ 1`, `< 100`, `length 3…50`, `pattern ^a+$`, `unique`... */
export function constraints(raw: Schema): string[] {
  const s = unwrapNullable(raw);
  const out: string[] = [];
  if (s.minimum != null) out.push(`≥ ${num(s.minimum)}`);
  if (s.exclusiveMinimum != null) out.push(`> ${num(s.exclusiveMinimum)}`);
  if (s.maximum != null) out.push(`≤ ${num(s.maximum)}`);
  if (s.exclusiveMaximum != null) out.push(`< ${num(s.exclusiveMaximum)}`);
  if (s.multipleOf != null) out.push(`multiple of ${num(s.multipleOf)}`);
  if (s.minLength != null && s.maxLength != null) {
    out.push(s.minLength === s.maxLength ? `length ${s.minLength}` : `length ${s.minLength}…${s.maxLength}`);
  } else if (s.minLength != null) out.push(`length ≥ ${s.minLength}`);
  else if (s.maxLength != null) out.push(`length ≤ ${s.maxLength}`);
  if (s.pattern != null) out.push(`pattern ${s.pattern}`);
  if (s.minItems != null && s.maxItems != null) out.push(`items ${s.minItems}…${s.maxItems}`);
  else if (s.minItems != null) out.push(`items ≥ ${s.minItems}`);
  else if (s.maxItems != null) out.push(`items ≤ ${s.maxItems}`);
  if (s.uniqueItems) out.push("unique items");
  if (s.minProperties != null) out.push(`properties ≥ ${s.minProperties}`);
  if (s.maxProperties != null) out.push(`properties ≤ ${s.maxProperties}`);
  if (s.contentEncoding != null) out.push(`encoding ${s.contentEncoding}`);
  if (s.contentMediaType != null) out.push(s.contentMediaType);
  return out;
}

/** Flags shown as tags next to the type. */
export function flags(raw: Schema): string[] {
  const s = unwrapNullable(raw);
  const out: string[] = [];
  if (s.nullable || list(s.types).includes("null")) out.push("nullable");
  if (s.readOnly) out.push("read-only");
  if (s.writeOnly) out.push("write-only");
  if (s.deprecated) out.push("deprecated");
  return out;
}

export interface SchemaChild {
  key: string;
  /** Property name, `[item]`, `{additional}`, `option 2`... */
  label: string;
  /** True when `label` is a property name (shown in monospace). */
  isProperty: boolean;
  required: boolean;
  schema: Schema;
}

export interface SchemaGroup {
  /** `properties`, `one of`, `any of`, `all of`, `not`, `items`. */
  title: string | null;
  children: SchemaChild[];
}

/** The node's children, grouped: properties first, then items, additional properties, branches. */
export function schemaChildren(raw: Schema): SchemaGroup[] {
  const s = unwrapNullable(raw);
  if (s.recursive) return [];
  const groups: SchemaGroup[] = [];
  const props = list(s.properties);
  const required = new Set(list(s.required));
  if (props.length > 0) {
    groups.push({
      title: null,
      children: props.map((p, i) => ({ key: `p${i}:${p.name}`, label: p.name, isProperty: true, required: required.has(p.name), schema: p.schema })),
    });
  }
  if (s.items != null) {
    groups.push({ title: null, children: [{ key: "items", label: "[items]", isProperty: false, required: false, schema: s.items }] });
  }
  if (s.additionalProperties != null && typeof s.additionalProperties === "object") {
    groups.push({
      title: null,
      children: [{ key: "additional", label: "{additional}", isProperty: false, required: false, schema: s.additionalProperties }],
    });
  }
  const branches: [string, Schema[]][] = [
    ["one of", list(s.oneOf)],
    ["any of", list(s.anyOf)],
    ["all of", list(s.allOf)],
  ];
  for (const [title, schemas] of branches) {
    if (schemas.length === 0) continue;
    groups.push({
      title,
      children: schemas.map((b, i) => ({
        key: `${title}${i}`,
        label: b.refName ?? b.title ?? `option ${i + 1}`,
        isProperty: false,
        required: false,
        schema: b,
      })),
    });
  }
  if (s.not != null) groups.push({ title: "not", children: [{ key: "not", label: "not", isProperty: false, required: false, schema: s.not }] });
  return groups;
}

export function hasChildren(s: Schema): boolean {
  return schemaChildren(s).length > 0;
}

/** "additionalProperties: false" and friends, for a closed object. */
export function closedObject(raw: Schema): boolean {
  const s = unwrapNullable(raw);
  return s.additionalProperties === false;
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * The title worth showing for a node: not when it only repeats the property or schema name
 * (Pydantic titles every field `Item Id` for `item_id`).
 */
export function usefulTitle(s: Schema, label: string | null): string | null {
  const t = s.title;
  if (t == null || t.trim() === "") return null;
  const sq = squash(t);
  if ((label !== null && sq === squash(label)) || (s.refName != null && sq === squash(s.refName))) return null;
  return t;
}

/** Colour class of a response status: `2XX` and `201` are both "success". */
export function responseClass(status: string): "info" | "success" | "redirect" | "client" | "server" | "default" {
  const c = status.trim()[0];
  switch (c) {
    case "1":
      return "info";
    case "2":
      return "success";
    case "3":
      return "redirect";
    case "4":
      return "client";
    case "5":
      return "server";
    default:
      return "default";
  }
}
