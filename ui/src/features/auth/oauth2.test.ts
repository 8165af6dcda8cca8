import { describe, expect, it } from "vitest";

import { expiryText, fieldsOf, parsePort, parseScopes, redirectUriToRegister, scopesText } from "./oauth2";

describe("scopes", () => {
  it("reads space-separated text and writes it back", () => {
    expect(parseScopes("  openid\tapi:read  profile ")).toEqual(["openid", "api:read", "profile"]);
    expect(parseScopes("")).toEqual([]);
    expect(scopesText(["openid", "api:read"])).toBe("openid api:read");
  });
});

describe("redirect URI to register", () => {
  it("is any port on 127.0.0.1 unless one is fixed", () => {
    expect(redirectUriToRegister({ kind: "loopback", port: null, path: "/callback" })).toBe("http://127.0.0.1/callback");
    expect(redirectUriToRegister({ kind: "loopback", port: 8765, path: "/cb" })).toBe("http://127.0.0.1:8765/cb");
    expect(redirectUriToRegister({ kind: "loopback", port: null, path: "cb" })).toBe("http://127.0.0.1/cb");
    expect(redirectUriToRegister({ kind: "embeddedWindow", redirectUri: "https://app.example/cb" })).toBe("https://app.example/cb");
  });

  it("takes only real port numbers", () => {
    expect(parsePort("8765")).toBe(8765);
    expect(parsePort(" ")).toBeNull();
    expect(parsePort("0")).toBeNull();
    expect(parsePort("70000")).toBeNull();
    expect(parsePort("80a")).toBeNull();
  });
});

describe("expiry", () => {
  it("counts down in minutes and seconds, then says expired", () => {
    const now = 1_000_000;
    expect(expiryText(now + 252_000, now)).toBe("expires in 4 min 12 s");
    expect(expiryText(now + 251_400, now)).toBe("expires in 4 min 12 s");
    expect(expiryText(now + 400, now)).toBe("expires in 1 s");
    expect(expiryText(now, now)).toBe("expired");
    expect(expiryText(now + 9_000, now)).toBe("expires in 9 s");
    expect(expiryText(now + 3_720_000, now)).toBe("expires in 1 h 2 min");
    expect(expiryText(now - 1, now)).toBe("expired");
    expect(expiryText(null, now)).toBe("no expiry given");
  });
});

describe("fields per grant", () => {
  it("shows PKCE and the redirect only where a browser comes back", () => {
    expect(fieldsOf("authorizationCode")).toMatchObject({ pkce: true, redirect: true, deviceAuthorizationUrl: false });
    expect(fieldsOf("implicit")).toMatchObject({ pkce: false, redirect: true, tokenUrl: false });
    expect(fieldsOf("deviceCode")).toMatchObject({ redirect: false, deviceAuthorizationUrl: true });
    expect(fieldsOf("password")).toMatchObject({ userPassword: true, redirect: false });
  });
});
