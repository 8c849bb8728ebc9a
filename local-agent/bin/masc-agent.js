#!/usr/bin/env node
// Checked before anything else loads, so an old Node gets a sentence instead of a stack trace.
const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  process.stderr.write(`masc-agent needs Node.js 22 or newer; this is ${process.version}. See https://nodejs.org\n`);
  process.exit(1);
}
// In the masc repository the TypeScript sources run as they are (type stripping); the published
// package carries only the compiled dist/ (Node refuses to strip types under node_modules).
const { existsSync } = await import("node:fs");
const source = new URL("../src/main.ts", import.meta.url);
const { main } = await import(existsSync(source) ? source.href : "../dist/main.js");
process.exitCode = await main(process.argv.slice(2));
