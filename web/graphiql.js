// The GraphiQL page's browser code. scripts/build-web.mjs bundles it (with React and GraphiQL from
// node_modules) into public/_static/, served by the Worker as a static asset: nothing from a CDN.
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { buildSchema } from "graphql";
import { createElement } from "react";
import { createRoot } from "react-dom/client";
import "graphiql/graphiql.css";

const root = document.getElementById("graphiql");
if (root) {
  const endpoint = root.dataset.endpoint ?? "/graphql";
  // The token the dashboard holds for this origin (entered once on a room page).
  const token = localStorage.getItem("masc-token") ?? "";
  const fetcher = createGraphiQLFetcher({ url: endpoint, headers: token ? { authorization: `Bearer ${token}` } : {} });
  createRoot(root).render(
    createElement(GraphiQL, {
      fetcher,
      // The schema comes with the page: the introspection query is deeper than the endpoint's depth limit.
      schema: root.dataset.sdl ? buildSchema(root.dataset.sdl) : undefined,
      defaultQuery: root.dataset.query ?? "",
      defaultEditorToolsVisibility: false,
    }),
  );
}
