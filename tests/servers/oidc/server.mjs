// A real OpenID provider (the npm `oidc-provider` package, OpenID certified) on 127.0.0.1, for
// Sextant's OAuth 2.0 / OIDC tests: auth code + PKCE, refresh tokens, client credentials, the
// device flow, introspection and revocation, with its built-in (dev) login and consent pages.
// It also serves a small protected resource, `GET /test/api`, that accepts the access tokens it
// issues, so tests can exercise 401 -> refresh -> retry against one process.
//
//   node server.mjs --port PORT [--access-ttl SECS] [--refresh-ttl SECS] [--device-ttl SECS]
//                   [--device-interval SECS] [--no-watch-stdin]
//
// --device-interval puts `interval` in device authorization responses and answers `slow_down`
// to a device code polled again sooner than that (oidc-provider itself never says slow_down).
//
// It exits when its stdin reaches EOF (so it never outlives the test process that holds the
// pipe), unless started with --no-watch-stdin. Everything is kept in memory.
// See tests/servers/README.md for the clients, the test user and the token rules.

import * as crypto from 'node:crypto';
import * as querystring from 'node:querystring';
import { parseArgs } from 'node:util';

import Provider, { errors } from 'oidc-provider';
import { createLocalJWKSet, jwtVerify } from 'jose';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    'access-ttl': { type: 'string' },
    'refresh-ttl': { type: 'string' },
    'device-ttl': { type: 'string' },
    'device-interval': { type: 'string' },
    'no-watch-stdin': { type: 'boolean', default: false },
  },
});

function seconds(name, fallback) {
  const raw = args[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`--${name} must be a positive whole number of seconds, not ${raw}`);
    process.exit(2);
  }
  return n;
}

const port = Number(args.port);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(
    'usage: node server.mjs --port PORT [--access-ttl S] [--refresh-ttl S] [--device-ttl S] '
    + '[--device-interval S] [--no-watch-stdin]',
  );
  process.exit(2);
}
const accessTtl = seconds('access-ttl', 3600);
const refreshTtl = seconds('refresh-ttl', 14 * 24 * 3600);
const deviceTtl = seconds('device-ttl', 600);
const deviceInterval = seconds('device-interval', undefined);

const issuer = `http://127.0.0.1:${port}`;
const RESOURCE = 'urn:sextant:api';
const RESOURCE_SCOPES = 'api:read api:write';
const USERS = new Map([['alice', { password: 'wonderland', name: 'Alice Liddell' }]]);

// A fresh signing key per run: tokens from an earlier run never verify.
const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingJwk = { ...privateKey.export({ format: 'jwk' }), kid: 'sextant-test', alg: 'RS256', use: 'sig' };
const { d, p, q, dp, dq, qi, ...publicJwk } = signingJwk;
const localJwks = createLocalJWKSet({ keys: [publicJwk] });

const allGrants = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:device_code',
];
// Native clients: a loopback redirect URI matches on any port (RFC 8252 section 7.3).
const redirectUris = ['http://127.0.0.1/callback', 'https://app.example.test/callback'];
const clients = [
  {
    client_id: 'sextant-confidential',
    client_secret: 'confidential-secret',
    token_endpoint_auth_method: 'client_secret_basic',
  },
  {
    client_id: 'sextant-post',
    client_secret: 'post-secret',
    token_endpoint_auth_method: 'client_secret_post',
  },
  {
    client_id: 'sextant-public',
    token_endpoint_auth_method: 'none',
    // client_credentials needs a client that can authenticate.
    grant_types: allGrants.filter((g) => g !== 'client_credentials'),
  },
].map((c) => ({
  application_type: 'native',
  grant_types: allGrants,
  response_types: ['code'],
  redirect_uris: redirectUris,
  ...c,
}));

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [signingJwk] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  scopes: ['openid', 'offline_access', 'api:read', 'api:write'],
  claims: {
    openid: ['sub'],
    profile: ['name'],
    email: ['email', 'email_verified'],
  },
  pkce: {
    // Public clients must use PKCE (S256 is the only method offered); others may.
    required: (_ctx, client) => client.clientAuthMethod === 'none',
  },
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    deviceFlow: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (_ctx, _client, oneOf) => oneOf ?? RESOURCE,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (_ctx, resource) => {
        if (resource !== RESOURCE) throw new errors.InvalidTarget();
        return {
          scope: RESOURCE_SCOPES,
          audience: RESOURCE,
          accessTokenTTL: accessTtl,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  // Always hand out a refresh token to clients allowed the grant, offline_access or not.
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  // Public clients get a new refresh token on every refresh (the old one stops working);
  // confidential clients keep theirs, so their refresh responses carry the same one back.
  rotateRefreshToken: (ctx) => ctx.oidc.entities.Client.clientAuthMethod === 'none',
  ttl: {
    AccessToken: () => accessTtl,
    ClientCredentials: () => accessTtl,
    RefreshToken: () => refreshTtl,
    DeviceCode: () => deviceTtl,
  },
  findAccount: async (_ctx, id) => ({
    accountId: id,
    async claims() {
      return {
        sub: id,
        name: USERS.get(id)?.name ?? id,
        email: `${id}@example.test`,
        email_verified: true,
      };
    },
  }),
});
// The tests talk plain HTTP on 127.0.0.1; nothing is proxied.
provider.proxy = false;

// First, so it logs what the middlewares below answer too.
provider.use(async (ctx, next) => {
  await next();
  console.log(`${ctx.method} ${ctx.originalUrl} -> ${ctx.status}`);
});

function page(title, body) {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > 64 * 1024) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// The dev login form takes any login and password; ours accepts only the known users with their
// passwords and shows the form again, with an error, for anything else.
provider.use(async (ctx, next) => {
  const submit = /^\/interaction\/([^/]+)$/.exec(ctx.path);
  if (ctx.method !== 'POST' || !submit) return next();
  const raw = await readBody(ctx.req);
  const form = querystring.parse(raw);
  if (form.prompt !== 'login') {
    // Hand the body on to oidc-provider's own handler, which reads ctx.request.body.
    ctx.request.body = raw;
    return next();
  }
  const user = USERS.get(String(form.login ?? ''));
  if (user && user.password === form.password) {
    ctx.request.body = raw;
    return next();
  }
  console.log(`login rejected for ${JSON.stringify(form.login)}`);
  ctx.status = 200;
  ctx.type = 'html';
  ctx.body = page('Sign-in', `<p class="error" id="login-error">Invalid login or password.</p>
<form autocomplete="off" action="${ctx.path}" method="post">
  <input type="hidden" name="prompt" value="login"/>
  <input required type="text" name="login" placeholder="Enter any login">
  <input required type="password" name="password" placeholder="and password">
  <button type="submit" class="login login-submit">Sign-in</button>
</form>`);
  return undefined;
});

// RFC 8628 section 3.5: polling faster than `interval` gets `slow_down`. Only with
// --device-interval, so clients that poll at once (tests) are not slowed by default.
const lastPoll = new Map();
provider.use(async (ctx, next) => {
  if (deviceInterval === undefined || ctx.method !== 'POST') return next();
  if (ctx.path === '/device/auth') {
    await next();
    if (ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
      ctx.body = { ...ctx.body, interval: deviceInterval };
    }
    return undefined;
  }
  if (ctx.path !== '/token') return next();
  const raw = await readBody(ctx.req);
  ctx.request.body = raw;
  const form = querystring.parse(raw);
  if (form.grant_type !== 'urn:ietf:params:oauth:grant-type:device_code' || !form.device_code) {
    return next();
  }
  const now = Date.now();
  const last = lastPoll.get(form.device_code);
  lastPoll.set(form.device_code, now);
  if (last !== undefined && now - last < deviceInterval * 1000) {
    ctx.status = 400;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { error: 'slow_down', error_description: `poll at most every ${deviceInterval}s` };
    return undefined;
  }
  return next();
});

function unauthorized(ctx, description) {
  ctx.status = 401;
  ctx.set('WWW-Authenticate', `Bearer error="invalid_token", error_description="${description}"`);
  ctx.body = { error: 'invalid_token', error_description: description };
}

// The protected resource: a JWT access token for urn:sextant:api, or an opaque one this provider
// issued, that has not expired or been revoked.
provider.use(async (ctx, next) => {
  if (ctx.path !== '/test/api') return next();
  if (ctx.method !== 'GET') {
    ctx.status = 405;
    return undefined;
  }
  const header = ctx.get('authorization');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) {
    ctx.set('WWW-Authenticate', 'Bearer realm="sextant-test"');
    ctx.status = 401;
    ctx.body = { error: 'invalid_request', error_description: 'no bearer token' };
    return undefined;
  }
  const token = match[1];
  if (token.split('.').length === 3) {
    try {
      const { payload } = await jwtVerify(token, localJwks, { issuer, audience: RESOURCE });
      ctx.body = { sub: payload.sub ?? null, scope: payload.scope ?? '', client_id: payload.client_id };
    } catch (e) {
      unauthorized(ctx, e.code === 'ERR_JWT_EXPIRED' ? 'token expired' : 'token not valid');
    }
    return undefined;
  }
  const found = (await provider.AccessToken.find(token)) ?? (await provider.ClientCredentials.find(token));
  if (!found || found.isExpired) {
    unauthorized(ctx, 'token unknown or expired');
    return undefined;
  }
  ctx.body = { sub: found.accountId ?? null, scope: found.scope ?? '', client_id: found.clientId };
  return undefined;
});

provider.on('server_error', (_ctx, err) => console.error('server_error', err));
provider.on('grant.error', (_ctx, err) => console.log(`grant.error ${err.name}: ${err.message}`));

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(
    `oidc-provider listening on ${issuer} (access ttl ${accessTtl}s, refresh ttl ${refreshTtl}s, `
    + `device ttl ${deviceTtl}s, device interval ${deviceInterval ?? 'not enforced'})`,
  );
});
server.on('error', (e) => {
  console.error(`could not listen on 127.0.0.1:${port}: ${e.message}`);
  process.exit(1);
});

if (!args['no-watch-stdin']) {
  process.stdin.on('end', () => {
    console.log('stdin closed: exiting');
    process.exit(0);
  });
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
