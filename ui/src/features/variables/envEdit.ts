// The checks and conversions behind the environment and settings editors: which variable rows
// are kept on save, what is wrong with a table before it is saved, whether a name is usable for
// a new environment, and folder settings as the editor's table rows and back.

import type { ClientCertificate } from "../../lib/bindings/ClientCertificate";
import type { Environment } from "../../lib/bindings/Environment";
import type { FolderSettings } from "../../lib/bindings/FolderSettings";
import type { Variable } from "../../lib/bindings/Variable";
import { rowsToKeyValues } from "../composer/body";
import type { ParamRow } from "../composer/url";

export function emptyVariable(): Variable {
  return { name: "", value: "", secret: false, enabled: true };
}

/** The rows worth saving: names trimmed, rows with neither a name nor a value dropped. */
export function variablesToSave(vars: ReadonlyArray<Variable>): Variable[] {
  return vars
    .map((v) => ({ ...v, name: v.name.trim() }))
    .filter((v) => v.name !== "" || v.value !== "");
}

/** Names `{{...}}` can refer to: no braces, no whitespace. */
const NAME_OK = /^[^\s{}]+$/;

/** Why the table cannot be saved as it is, or null when it can. */
export function variableProblem(vars: ReadonlyArray<Variable>): string | null {
  const seen = new Set<string>();
  for (const v of variablesToSave(vars)) {
    if (v.name === "") return "Every variable with a value needs a name.";
    if (!NAME_OK.test(v.name)) return `“${v.name}” cannot be used as a name: no spaces or braces.`;
    if (seen.has(v.name)) return `“${v.name}” is defined twice.`;
    seen.add(v.name);
  }
  return null;
}

/** Why `name` cannot be a new environment next to `existing`, or null when it can. */
export function environmentNameProblem(name: string, existing: ReadonlyArray<string>): string | null {
  const n = name.trim();
  if (n === "") return "Give the environment a name.";
  if (/[/\\]/.test(n)) return "Names cannot contain / or \\.";
  if (existing.some((e) => e.toLowerCase() === n.toLowerCase())) return `There is already an environment called “${n}”.`;
  return null;
}

/** Equal as far as saving goes (row order counts, blank rows do not). */
export function sameVariables(a: ReadonlyArray<Variable>, b: ReadonlyArray<Variable>): boolean {
  return JSON.stringify(variablesToSave(a)) === JSON.stringify(variablesToSave(b));
}

export function sameEnvironment(a: Environment, b: Environment): boolean {
  return a.name === b.name && sameVariables(a.variables, b.variables);
}

/** Folder settings as the editor holds them: headers as table rows with ids. */
export interface SettingsDraft {
  baseUrl: string;
  headers: ParamRow[];
  auth: FolderSettings["auth"];
  variables: Variable[];
  clientCertificates: ClientCertificate[];
  /** Not edited here; kept so saving the settings does not turn it off. */
  sequential: boolean;
}

export function settingsToDraft(s: FolderSettings, newId: () => string): SettingsDraft {
  return {
    baseUrl: s.baseUrl ?? "",
    headers: s.headers.map((h) => ({ id: newId(), name: h.name, value: h.value, enabled: h.enabled })),
    auth: s.auth,
    variables: s.variables.map((v) => ({ ...v })),
    clientCertificates: s.clientCertificates.map((c) => ({ ...c })),
    sequential: s.sequential ?? false,
  };
}

export function draftToSettings(d: SettingsDraft): FolderSettings {
  const base = d.baseUrl.trim();
  return {
    baseUrl: base === "" ? null : base,
    headers: rowsToKeyValues(d.headers),
    auth: d.auth,
    variables: variablesToSave(d.variables),
    clientCertificates: d.clientCertificates,
    sequential: d.sequential,
  };
}
