// Secrets are set with `wrangler secret put`, never in wrangler.toml, so `wrangler types` cannot
// see them; they are declared here.
declare namespace Cloudflare {
  interface Env {
    /** AES-256-GCM key for encryption at rest (base64 or hex of 32 bytes); unset: encryption off. */
    MASC_ENCRYPTION_KEY?: string;
    /** The owner's secret: admin in every room, mints tokens; required when the Worker is reachable beyond loopback. */
    MASC_ADMIN_SECRET?: string;
  }
}
interface Env {
  MASC_ENCRYPTION_KEY?: string;
  MASC_ADMIN_SECRET?: string;
}
