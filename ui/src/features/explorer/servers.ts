// Server variables ("https://{region}.api.example.com/{version}"): the values the user picked,
// and the URL they make. Values are remembered per server URL and variable name while the app
// runs, so every operation of a spec uses the same choice.

import type { Server } from "../../lib/bindings/openapi/Server";

/** The value of `name` in `server`: the user's choice if still allowed, else the default. */
export function variableValue(server: Server, name: string, chosen: Record<string, string>): string {
  const v = (server.variables ?? []).find((x) => x.name === name);
  const picked = chosen[key(server.url, name)];
  if (v === undefined) return picked ?? "";
  if (picked === undefined) return v.default;
  if (v.enum && v.enum.length > 0 && !v.enum.includes(picked)) return v.default;
  return picked;
}

/** The key a choice is remembered under. */
export function key(serverUrl: string, name: string): string {
  return `${serverUrl}\u0000${name}`;
}

/** The server's URL with every `{name}` replaced by its value; unknown names stay as written. */
export function fillServerUrl(server: Server, chosen: Record<string, string>): string {
  return server.url.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
    const known = (server.variables ?? []).some((v) => v.name === name);
    return known ? variableValue(server, name, chosen) : whole;
  });
}
