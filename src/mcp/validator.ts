import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/server/validators/cf-worker";

/**
 * The JSON Schema validator of the 2025-era `Server` (it checks an elicitation's answer against
 * the form it asked for). The 2026 lane's SDK already bundles this class for workerd, so the legacy
 * lane takes the same one rather than a second copy of @cfworker/json-schema; ajv, the v1 SDK's
 * default, is aliased away in wrangler.toml (decision 0044). It keeps no state between schemas.
 */
export const jsonSchemaValidator = new CfWorkerJsonSchemaValidator();
