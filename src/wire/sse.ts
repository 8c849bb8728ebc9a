const encoder = new TextEncoder();

/**
 * One Server-Sent Event, fields in the order clients expect. `data` is one line (every MCP message
 * here is single-line JSON); without it the event only sets the client's retry delay.
 */
export function sseEvent(e: { id?: string; event?: string; retry?: number; data?: string }): Uint8Array {
  return encoder.encode(sseText(e));
}

/** The same event as text, for writers that send several at once. */
export function sseText(e: { id?: string; event?: string; retry?: number; data?: string }): string {
  let text = "";
  if (e.id !== undefined) text += `id: ${e.id}\n`;
  if (e.event !== undefined) text += `event: ${e.event}\n`;
  if (e.retry !== undefined) text += `retry: ${e.retry}\n`;
  if (e.data !== undefined) text += `data: ${e.data}\n`;
  return `${text}\n`;
}
