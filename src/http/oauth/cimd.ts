/**
 * Client ID Metadata Documents (CIMD): a client whose id is an https URL is described by the
 * document at that URL, which the authorization server fetches. Only a document on a public DNS
 * name may be fetched: an IP literal or a local name would let anyone make this server fetch
 * from its own machine or network (SSRF) and then vouch for what it found there ("Published by
 * 127.0.0.1"). On Cloudflare `global_fetch_strictly_public` also holds; under `wrangler dev` it
 * does not, so masc refuses such ids itself, before any fetch (decision 0036). Pure.
 */

/** Suffixes of names that never resolve on the public internet (RFC 6761, 6762, 8375; ICANN's .internal). */
const LOCAL_SUFFIXES = [
  "localhost",
  "local",
  "internal",
  "home.arpa",
  "arpa",
  "lan",
  "localdomain",
  "intranet",
  "corp",
  "private",
  "test",
  "invalid",
];

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Why this client id may not be fetched as a metadata document, or null (also for ids that are not https URLs). */
export function cimdRefusal(clientId: string): string | null {
  // The library's own test for a metadata URL: whatever the URL parser reads as https (it drops
  // surrounding spaces and any case), so a prefix check would let " https://127.0.0.1/" through.
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return null;
  }
  if (url.protocol !== "https:") return null;
  // The URL parser already turns 0x7f.1, 2130706433 and friends into dotted IPv4.
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (host.startsWith("[") || IPV4.test(host))
    return `client_id names the IP address ${host}; a client metadata document must be on a public DNS name`;
  if (!host.includes(".")) return `client_id names the local host '${host}'; a client metadata document must be on a public DNS name`;
  const suffix = LOCAL_SUFFIXES.find((s) => host === s || host.endsWith(`.${s}`));
  if (suffix) return `client_id names '${host}', a local name (.${suffix}); a client metadata document must be on a public DNS name`;
  if (url.username || url.password) return "client_id must not carry a user name or password";
  return null;
}
