import { type ASTNode, type DocumentNode, GraphQLError, Kind, type SelectionSetNode, type ValidationContext } from "graphql";

export const MAX_QUERY_BYTES = 10_000;
export const MAX_DEPTH = 8;
export const MAX_FIELDS = 300;

/** Rejects documents nested deeper than MAX_DEPTH or selecting more than MAX_FIELDS fields. */
export function limitsRule(context: ValidationContext) {
  const doc: DocumentNode = context.getDocument();
  const fragments = new Map(doc.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  let fields = 0;
  const depth = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
    if (!set) return 0;
    let deepest = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        fields++;
        deepest = Math.max(deepest, 1 + depth(sel.selectionSet, seen));
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depth(sel.selectionSet, seen));
      } else if (!seen.has(sel.name.value)) {
        const frag = fragments.get(sel.name.value);
        deepest = Math.max(deepest, depth(frag?.selectionSet, new Set([...seen, sel.name.value])));
      }
    }
    return deepest;
  };
  return {
    OperationDefinition(node: ASTNode) {
      if (node.kind !== Kind.OPERATION_DEFINITION) return;
      const d = depth(node.selectionSet, new Set());
      if (d > MAX_DEPTH)
        context.reportError(new GraphQLError(`query is nested ${d} levels deep; the limit is ${MAX_DEPTH}`, { nodes: [node] }));
      if (fields > MAX_FIELDS)
        context.reportError(new GraphQLError(`query selects ${fields} fields; the limit is ${MAX_FIELDS}`, { nodes: [node] }));
    },
  };
}
