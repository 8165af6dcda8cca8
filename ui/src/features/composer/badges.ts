// The small counts and names on a request composer's section tabs (HTTP and WebSocket alike).

import type { Auth } from "../../lib/bindings/Auth";
import { isBlankRow } from "./body";
import type { ParamRow } from "./url";

/** The rows that will be sent: enabled and not blank. */
export function enabledCount(rows: ReadonlyArray<ParamRow>): number {
  return rows.filter((r) => r.enabled && !isBlankRow(r)).length;
}

const AUTH_BADGE = { inherit: null, none: "None", basic: "Basic", bearer: "Bearer", apiKey: "Key", digest: "Digest", awsSigV4: "AWS", oauth2: "OAuth" } as const;

/** The Auth tab's badge: the kind in a word, none while the request inherits its auth. */
export function authBadge(kind: Auth["kind"]): string | null {
  return AUTH_BADGE[kind];
}
