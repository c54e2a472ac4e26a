import { Kind, type DocumentNode, type FieldNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * The root field of a subscription operation, looking through fragments (validation already guaranteed
 * there is exactly one, besides `__typename`).
 */
export const rootFieldOf = (document: DocumentNode, operation: OperationDefinitionNode): FieldNode | null => {
  const fragments = new Map(
    document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition]] : [])),
  );
  const visit = (selectionSet: SelectionSetNode, seen: Set<string>): FieldNode | null => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== '__typename') return selection;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const field = visit(selection.selectionSet, seen);
        if (field) return field;
      } else if (!seen.has(selection.name.value)) {
        const fragment = fragments.get(selection.name.value);
        const field = fragment ? visit(fragment.selectionSet, new Set([...seen, selection.name.value])) : null;
        if (field) return field;
      }
    }
    return null;
  };
  return visit(operation.selectionSet, new Set());
};
