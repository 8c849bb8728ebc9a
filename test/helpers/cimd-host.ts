/**
 * An OAuth client's Client ID Metadata Document host, as the workerd tests' outbound network:
 * `https://client.example/oauth/masc-test.json` is a client whose id is that URL.
 */
export const CIMD_CLIENT_ID = "https://client.example/oauth/masc-test.json";

export function cimdHost(request: Request): Response {
  if (request.url !== CIMD_CLIENT_ID) return new Response("not found", { status: 404 });
  return Response.json({
    client_id: CIMD_CLIENT_ID,
    client_name: "CIMD test client",
    client_uri: "https://client.example/",
    redirect_uris: ["http://127.0.0.1:4999/callback"],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
  });
}
