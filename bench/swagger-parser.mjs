// Times @apidevtools/swagger-parser's dereference of one spec: the peer for Sextant's importer.
import SwaggerParser from "@apidevtools/swagger-parser";

const file = process.argv[2];
const before = process.memoryUsage().rss;
const t0 = performance.now();
const api = await SwaggerParser.dereference(file);
const ms = performance.now() - t0;
let operations = 0;
for (const item of Object.values(api.paths ?? {})) {
  for (const m of ["get", "put", "post", "delete", "options", "head", "patch", "trace"]) {
    if (item[m]) operations++;
  }
}
const added = (process.memoryUsage().rss - before) / 1048576;
console.log(`swagger-parser: dereferenced ${operations} operations in ${ms.toFixed(1)} ms; memory added ${added.toFixed(1)} MiB`);
console.log(`PEER_MS=${ms.toFixed(1)}`);
