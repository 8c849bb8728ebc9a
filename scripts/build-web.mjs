// Bundles the browser code of web/ into public/_static/ (run by wrangler's [build] before dev and
// deploy). Offline: everything comes from node_modules. Skips the work when the output is newer.
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "public/_static");
const entry = join(root, "web/graphiql.js");
const target = join(out, "graphiql.js");
const lock = join(root, "package-lock.json");

const newer = (a, b) => existsSync(a) && statSync(a).mtimeMs >= statSync(b).mtimeMs;
if (newer(target, entry) && newer(target, lock) && existsSync(join(out, "graphiql.css"))) process.exit(0);

mkdirSync(out, { recursive: true });
await build({
  entryPoints: { graphiql: entry },
  bundle: true,
  minify: true,
  format: "esm",
  outdir: out,
  define: { "process.env.NODE_ENV": '"production"' },
  loader: { ".woff": "dataurl", ".woff2": "dataurl", ".ttf": "dataurl", ".svg": "dataurl" },
  logLevel: "warning",
  legalComments: "linked",
});
