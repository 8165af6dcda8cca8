// What the API page says of a security scheme: its kind in words, and the lines that tell a
// user what to fill in (where a key goes, which URLs a flow uses).

import type { OAuthFlowKind } from "../../lib/bindings/openapi/OAuthFlowKind";
import type { SecurityScheme } from "../../lib/bindings/openapi/SecurityScheme";

export interface SchemeLine {
  label: string;
  value: string;
}

const FLOW_NAMES: Record<OAuthFlowKind, string> = {
  authorizationCode: "Authorization code",
  clientCredentials: "Client credentials",
  password: "Password",
  implicit: "Implicit",
  deviceAuthorization: "Device authorization",
};

export function flowName(kind: OAuthFlowKind): string {
  return FLOW_NAMES[kind];
}

export function schemeKind(s: SecurityScheme): string {
  switch (s.type) {
    case "apiKey":
      return "API key";
    case "http":
      return s.scheme.toLowerCase() === "bearer" ? "HTTP Bearer" : s.scheme.toLowerCase() === "basic" ? "HTTP Basic" : `HTTP ${s.scheme}`;
    case "oauth2":
      return "OAuth 2.0";
    case "openIdConnect":
      return "OpenID Connect";
    case "mutualTLS":
      return "Mutual TLS";
    case "other":
      return s.rawType;
  }
}

/** The scheme's details, one line each (OAuth flows are listed separately). */
export function schemeLines(s: SecurityScheme): SchemeLine[] {
  switch (s.type) {
    case "apiKey":
      return [{ label: `In ${s.location}`, value: s.paramName }];
    case "http":
      return s.bearerFormat ? [{ label: "Bearer format", value: s.bearerFormat }] : [];
    case "openIdConnect":
      return [{ label: "Discovery", value: s.url }];
    case "mutualTLS":
      return [{ label: "Client certificate", value: "required" }];
    default:
      return [];
  }
}
