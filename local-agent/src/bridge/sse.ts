export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** Server-sent events from a fetch body, one at a time (the small part of the spec MCP uses). */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  let event: { id?: string; event?: string; data: string[] } = { data: [] };
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl = buffer.search(/\r?\n|\r/);
    while (nl >= 0) {
      const sep = buffer[nl] === "\r" && buffer[nl + 1] === "\n" ? 2 : 1;
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + sep);
      if (line === "") {
        // An id alone still moves the resume point (servers send one before any data to prime it).
        if (event.data.length || event.id !== undefined) yield { id: event.id, event: event.event, data: event.data.join("\n") };
        event = { data: [] };
      } else if (!line.startsWith(":")) {
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "data") event.data.push(value);
        else if (field === "id") event.id = value;
        else if (field === "event") event.event = value;
      }
      nl = buffer.search(/\r?\n|\r/);
    }
  }
}
