// What the OAuth 2.0 editor and token panel compute without the backend: a fresh config, the
// scopes as text, which fields a grant uses, the redirect URI to register, and the expiry text.

import type { OAuth2Config } from "../../lib/bindings/OAuth2Config";
import type { OAuth2Grant } from "../../lib/bindings/OAuth2Grant";
import type { OAuth2Redirect } from "../../lib/bindings/OAuth2Redirect";

/** The defaults the backend reads an empty config with (PKCE S256, loopback on any port). */
export function newOAuth2Config(): OAuth2Config {
  return {
    grant: "authorizationCode",
    issuer: "",
    authorizationUrl: "",
    tokenUrl: "",
    deviceAuthorizationUrl: "",
    clientId: "",
    clientSecret: "",
    clientAuth: "basic",
    username: "",
    password: "",
    scopes: [],
    audience: "",
    resource: "",
    authorizeParams: [],
    tokenParams: [],
    pkce: "s256",
    redirect: { kind: "loopback", port: null, path: "/callback" },
    placement: { kind: "header", prefix: "Bearer" },
    refreshSkewSecs: 30,
  };
}

export const GRANTS: ReadonlyArray<{ value: OAuth2Grant; label: string }> = [
  { value: "authorizationCode", label: "Authorization code (PKCE)" },
  { value: "clientCredentials", label: "Client credentials" },
  { value: "password", label: "Password" },
  { value: "deviceCode", label: "Device code" },
  { value: "implicit", label: "Implicit (legacy, discouraged)" },
];

export function grantLabel(grant: OAuth2Grant): string {
  return GRANTS.find((g) => g.value === grant)?.label ?? grant;
}

/** Which optional fields `grant` uses. */
export function fieldsOf(grant: OAuth2Grant) {
  const browser = grant === "authorizationCode" || grant === "implicit";
  return {
    authorizationUrl: browser,
    tokenUrl: grant !== "implicit",
    deviceAuthorizationUrl: grant === "deviceCode",
    clientSecret: grant !== "implicit",
    userPassword: grant === "password",
    pkce: grant === "authorizationCode",
    redirect: browser,
  };
}

/** `"openid  api:read "` → `["openid", "api:read"]`. */
export function parseScopes(text: string): string[] {
  return text.split(/\s+/).filter((s) => s !== "");
}

export function scopesText(scopes: readonly string[]): string {
  return scopes.join(" ");
}

/**
 * The redirect URI to register with the provider. Without a fixed port the loopback listener
 * takes any free one, which RFC 8252 §7.3 says providers must accept for 127.0.0.1.
 */
export function redirectUriToRegister(redirect: OAuth2Redirect): string {
  if (redirect.kind === "embeddedWindow") return redirect.redirectUri;
  const path = redirect.path === "" ? "/" : redirect.path.startsWith("/") ? redirect.path : `/${redirect.path}`;
  return redirect.port === null ? `http://127.0.0.1${path}` : `http://127.0.0.1:${redirect.port}${path}`;
}

/** A port typed by the user: empty or not a port number means "any free port". */
export function parsePort(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,5}$/.test(t)) return null;
  const n = Number(t);
  return n >= 1 && n <= 65535 ? n : null;
}

/** "expires in 4 min 12 s", "expired", "no expiry given". */
export function expiryText(expiresAtMs: number | null, nowMs: number): string {
  if (expiresAtMs === null) return "no expiry given";
  // Rounded up: "expired" only once it is (a send then refreshes it).
  const left = Math.ceil((expiresAtMs - nowMs) / 1000);
  if (left <= 0) return "expired";
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  if (h > 0) return `expires in ${h} h ${m} min`;
  if (m > 0) return `expires in ${m} min ${s} s`;
  return `expires in ${s} s`;
}
