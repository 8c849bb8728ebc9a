/**
 * An OAuth client's Client ID Metadata Document host, as the workerd tests' outbound network:
 * `https://client.example/oauth/masc-test.json` is a client whose id is that URL. Every host
 * answers that path, loopback and private addresses included, as a machine's own server might:
 * so a test shows that masc refuses to fetch from them, not that nothing was there.
 */
export const CIMD_CLIENT_ID = "https://client.example/oauth/masc-test.json";
const CIMD_PATH = new URL(CIMD_CLIENT_ID).pathname;

export function cimdHost(request: Request): Response {
  if (new URL(request.url).pathname !== CIMD_PATH) return new Response("not found", { status: 404 });
  return Response.json({
    client_id: request.url,
    client_name: "CIMD test client",
    client_uri: "https://client.example/",
    redirect_uris: ["http://127.0.0.1:4999/callback"],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
  });
}
