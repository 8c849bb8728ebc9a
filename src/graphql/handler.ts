import { type DocumentNode, execute, GraphQLError, getOperationAST, parse, specifiedRules, validate } from "graphql";
import { limitsRule, MAX_QUERY_BYTES } from "./limits";
import { type GraphContext, rootValue } from "./resolvers";
import { schema } from "./schema";

const json = (body: unknown, status = 200) => Response.json(body, { status });
const fail = (message: string, code: string, status = 400) => json({ errors: [{ message, extensions: { code } }] }, status);

interface GraphRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/** POST /graphql: read-only queries, GraphQL error format, size/depth limits. */
export async function handleGraphql(req: Request, ctx: GraphContext): Promise<Response> {
  if (req.method !== "POST") {
    return fail('send a POST with JSON {"query": "...", "variables": {...}}; masc GraphQL is read-only', "METHOD_NOT_ALLOWED", 405);
  }
  let body: GraphRequest;
  try {
    body = (await req.json()) as GraphRequest;
  } catch {
    return fail("the body is not JSON", "BAD_REQUEST");
  }
  if (typeof body.query !== "string" || body.query.length === 0) return fail("query must be a non-empty string", "BAD_REQUEST");
  if (body.query.length > MAX_QUERY_BYTES)
    return fail(`query is ${body.query.length} bytes; the limit is ${MAX_QUERY_BYTES}`, "QUERY_TOO_LARGE");
  if (body.variables != null && (typeof body.variables !== "object" || Array.isArray(body.variables)))
    return fail("variables must be an object", "BAD_REQUEST");
  if (body.operationName != null && typeof body.operationName !== "string") return fail("operationName must be a string", "BAD_REQUEST");

  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (err) {
    return json({ errors: [err instanceof GraphQLError ? err.toJSON() : { message: String(err) }] }, 400);
  }
  const op = getOperationAST(document, (body.operationName as string | undefined) ?? undefined);
  if (op && op.operation !== "query") return fail(`${op.operation} operations are refused: masc GraphQL is read-only`, "READ_ONLY");
  const errors = validate(schema(), document, [...specifiedRules, limitsRule]);
  if (errors.length > 0) return json({ errors: errors.map((e) => e.toJSON()) }, 400);
  const result = await execute({
    schema: schema(),
    document,
    rootValue,
    contextValue: ctx,
    variableValues: (body.variables as Record<string, unknown> | undefined) ?? undefined,
    operationName: (body.operationName as string | undefined) ?? undefined,
  });
  return json(result);
}
