/**
 * @mentions in a message: `@name` (one agent), `@@type` (every agent of a type, e.g. all
 * `claude-*`), `@all`. An `@` right after a word character is part of an address (`a@b.dev`),
 * not a mention.
 */
const MENTION = /(^|[^A-Za-z0-9_@.-])@(@?)([A-Za-z0-9_-]{1,64})(?![A-Za-z0-9_-])/g;

/** Mentions in order of appearance, without repeats: `gemini`, `@@claude`, `@all`. */
export function parseMentions(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(MENTION)) {
    const name = m[3] ?? "";
    const mention = m[2] ? `@@${name}` : name.toLowerCase() === "all" ? "@all" : name;
    if (!found.includes(mention)) found.push(mention);
  }
  return found;
}

/** `claude-2` and `claude_review` are both of type `claude`. */
export function typeOf(agent: string): string {
  return agent.split(/[-_]/)[0] ?? agent;
}

/** Whether one mention addresses `agent`. */
export function mentionMatches(mention: string, agent: string): boolean {
  if (mention === "@all") return true;
  if (mention.startsWith("@@")) return typeOf(agent) === mention.slice(2);
  return mention === agent;
}
