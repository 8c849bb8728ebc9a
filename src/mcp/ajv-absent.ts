/**
 * What `ajv` and `ajv-formats` resolve to in the Worker (wrangler.toml `[alias]`). The v1 SDK's
 * `Server` imports ajv for its default validator, but ajv compiles schemas with `new Function`,
 * which Workers refuse, and masc always passes its own (./validator.ts): ~270 KiB never run.
 * Reaching this means a server was built without that option.
 */
export default function ajvAbsent(): never {
  throw new Error("ajv is not in the Worker bundle: pass jsonSchemaValidator (src/mcp/validator.ts) to the SDK's Server");
}
