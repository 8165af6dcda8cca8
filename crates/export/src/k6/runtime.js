// --- Helpers written by Sextant --------------------------------------------------------------

function envName(name) {
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return PREFIX ? `${PREFIX}_${snake}` : snake;
}

// The variable `name` from the environment variable PREFIX_NAME (k6 run -e NAME=value, or the
// process environment), else `fallback`.
function fromEnv(name, fallback) {
  const value = __ENV[envName(name)];
  return value === undefined ? fallback : value;
}

function asText(value) {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function dynamic(name) {
  switch (name) {
    case '$uuid':
      return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
        const r = Math.floor(Math.random() * 16);
        return (c === 'x' ? r : (r % 4) + 8).toString(16);
      });
    case '$timestamp':
      return String(Math.floor(Date.now() / 1000));
    case '$isoTimestamp':
      return new Date().toISOString();
    case '$randomInt':
      return String(Math.floor(Math.random() * 1001));
    default:
      return undefined;
  }
}

// Replaces each {{name}} in `text`; a name with no value fails with the variable to set.
function render(text, vars) {
  let out = text;
  for (let i = 0; i < 10; i++) {
    const next = out.replace(/\{\{([^{}\r\n]+)\}\}/g, (whole, raw) => {
      const name = raw.trim();
      if (!name) return whole;
      const d = dynamic(name);
      if (d !== undefined) return d;
      const value = vars[name];
      if (value === undefined || value === null) {
        throw new Error(
          `the variable '${name}' has no value: set ${envName(name)} (or run the request that captures it first)`,
        );
      }
      return asText(value);
    });
    if (next === out) return out;
    out = next;
  }
  return out;
}

function withQuery(url, pairs) {
  if (!pairs.length) return url;
  const query = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return url + (url.includes('?') ? '&' : '?') + query.join('&');
}

function form(pairs) {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

// An expected value as Sextant reads it: JSON when it parses as JSON, else text.
function value(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    return text;
  }
}

function textValue(text) {
  const parsed = value(text);
  return typeof parsed === 'string' ? parsed : text;
}

function jsonBody(res) {
  try {
    return res.json();
  } catch (e) {
    return undefined;
  }
}

// Names and indexes, and `null` for a wildcard: a path with one reads a list, as Sextant does.
function at(doc, path) {
  let nodes = [doc];
  let many = false;
  for (const seg of path) {
    const next = [];
    for (const node of nodes) {
      if (seg === null) {
        many = true;
        if (Array.isArray(node)) next.push(...node);
        else if (node !== null && typeof node === 'object') next.push(...Object.values(node));
      } else if (typeof seg === 'number') {
        if (Array.isArray(node)) {
          const i = seg < 0 ? node.length + seg : seg;
          if (i >= 0 && i < node.length) next.push(node[i]);
        }
      } else if (node !== null && typeof node === 'object' && !Array.isArray(node) && seg in node) {
        next.push(node[seg]);
      }
    }
    nodes = next;
  }
  return many ? nodes : nodes[0];
}

function header(res, name) {
  const lower = name.toLowerCase();
  for (const key of Object.keys(res.headers)) {
    if (key.toLowerCase() === lower) return res.headers[key];
  }
  return undefined;
}

function cookie(res, name) {
  const found = res.cookies[name];
  return found && found.length ? found[0].value : undefined;
}

function equal(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => equal(a[k], b[k]));
}

function contains(actual, expected) {
  if (Array.isArray(actual)) return actual.some((item) => equal(item, expected));
  if (typeof actual === 'string') return actual.includes(String(expected));
  if (actual !== null && typeof actual === 'object') return String(expected) in actual;
  return false;
}

function size(value) {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return -1;
}

function think() {
  return THINK_MIN + Math.random() * (THINK_MAX - THINK_MIN);
}
