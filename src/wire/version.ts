/** The server's version, as the Worker and every room announce it (MCP serverInfo, agent card, metrics). */
export const VERSION = "0.1.0";
