/**
 * The floor of a write (MASC_BENCH=1 only): the request body inserted as one row into one table,
 * committed, and answered. A room write is measured against this, not against the read echo: a
 * request that changes a row costs the runtime a commit the read echo never pays (decision 0043).
 */

const TABLE = "CREATE TABLE IF NOT EXISTS echo_writes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)";

/** Creates the one table; cheap to repeat, so the object's constructor calls it. */
export function prepareEchoWrite(sql: SqlStorage): void {
  sql.exec(TABLE);
}

/**
 * One INSERT … RETURNING, outside any explicit transaction: the runtime wraps the turn's writes in
 * one implicit transaction and holds the response (the output gate) until it is committed.
 */
export async function echoWrite(sql: SqlStorage, req: Request): Promise<Response> {
  const body = await req.text();
  const row = sql.exec<{ id: number; body: string }>("INSERT INTO echo_writes (body) VALUES (?) RETURNING id, body", body).one();
  return new Response(row.body, { headers: { "content-type": "application/json", "x-echo-row": String(row.id) } });
}
