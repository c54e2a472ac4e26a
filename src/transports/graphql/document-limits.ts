import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/** Ceilings on one GraphQL document, checked after parsing and before validation, caching or execution. */
export interface DocumentLimits {
  /** Field nesting of an operation, fragments expanded. */
  maxDepth: number;
  /** Fields selected by an operation with fragments expanded, and field nodes written in the whole document. */
  maxFields: number;
  /** Aliased fields written in the document. */
  maxAliases: number;
  /** Nesting of object and list values (literal `filters` and other arguments). */
  maxValueDepth: number;
}

type Cost = { depth: number; fields: number };

const limitError = (message: string, code: string) => new GraphQLError(message, { extensions: { code } });

/** Nesting of an object/list literal, iteratively (a hostile literal must not overflow the stack). */
const valueDepth = (root: ValueNode, stopAt: number): number => {
  let deepest = 0;
  const stack: [ValueNode, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node.kind !== Kind.OBJECT && node.kind !== Kind.LIST) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > stopAt) return deepest;
    if (node.kind === Kind.OBJECT) for (const field of node.fields) stack.push([field.value, depth + 1]);
    else for (const value of node.values) stack.push([value, depth + 1]);
  }
  return deepest;
};

/**
 * Checks a parsed document against the ceilings in time linear in its size: every fragment's cost (depth and
 * expanded field count) is computed once and reused wherever it is spread, so a fragment bomb (`F0 { ...F1 ...F1 }
 * F1 { ...F2 ...F2 } ...`) costs its length, not 2^levels. Counts saturate just past the limit. Cycles (refused by
 * validation later) count as empty here. Returns the errors (none when the document is within every limit).
 */
export const checkDocumentLimits = (document: DocumentNode, limits: DocumentLimits): GraphQLError[] => {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let fieldNodes = 0;
  let aliases = 0;
  let valueNesting = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }

  const costs = new Map<string, Cost>();
  const visiting = new Set<string>();
  const saturate = (n: number) => Math.min(n, limits.maxFields + 1);

  const costOf = (selectionSet: SelectionSetNode | undefined): Cost => {
    if (!selectionSet) return { depth: 0, fields: 0 };
    let depth = 0;
    let fields = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const introspection = selection.name.value.startsWith('__');
        const nested = introspection ? { depth: 0, fields: 0 } : costOf(selection.selectionSet);
        depth = Math.max(depth, introspection ? 0 : 1 + nested.depth);
        fields = saturate(fields + 1 + nested.fields);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const nested = costOf(selection.selectionSet);
        depth = Math.max(depth, nested.depth);
        fields = saturate(fields + nested.fields);
      } else {
        const nested = fragmentCost(selection.name.value);
        depth = Math.max(depth, nested.depth);
        fields = saturate(fields + nested.fields);
      }
      if (depth > limits.maxDepth) break;
    }
    return { depth, fields };
  };

  const fragmentCost = (name: string): Cost => {
    const known = costs.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment || visiting.has(name)) return { depth: 0, fields: 0 };
    visiting.add(name);
    const cost = costOf(fragment.selectionSet);
    visiting.delete(name);
    costs.set(name, cost);
    return cost;
  };

  // What the document itself writes: field nodes, aliases and value nesting (unused fragments included).
  const countWritten = (selectionSet: SelectionSetNode) => {
    const stack = [selectionSet];
    while (stack.length > 0) {
      for (const selection of stack.pop()!.selections) {
        if (selection.kind === Kind.FIELD) {
          fieldNodes++;
          if (selection.alias) aliases++;
          for (const argument of selection.arguments ?? []) valueNesting = Math.max(valueNesting, valueDepth(argument.value, limits.maxValueDepth));
        }
        if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet) stack.push(selection.selectionSet);
      }
    }
  };

  const errors: GraphQLError[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION || definition.kind === Kind.OPERATION_DEFINITION) countWritten(definition.selectionSet);
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      for (const variable of definition.variableDefinitions ?? []) {
        if (variable.defaultValue) valueNesting = Math.max(valueNesting, valueDepth(variable.defaultValue, limits.maxValueDepth));
      }
    }
  }
  if (fieldNodes > limits.maxFields) {
    errors.push(limitError(`The document has ${fieldNodes} fields; the maximum is ${limits.maxFields}.`, 'FIELD_LIMIT_EXCEEDED'));
  }
  if (aliases > limits.maxAliases) {
    errors.push(limitError(`The document has ${aliases} aliases; the maximum is ${limits.maxAliases}.`, 'ALIAS_LIMIT_EXCEEDED'));
  }
  if (valueNesting > limits.maxValueDepth) {
    errors.push(limitError(`An argument is nested more than ${limits.maxValueDepth} levels deep.`, 'INPUT_DEPTH_LIMIT_EXCEEDED'));
  }
  if (errors.length > 0) return errors;

  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const { depth, fields } = costOf(definition.selectionSet);
    if (depth > limits.maxDepth) {
      errors.push(limitError(`The operation is nested ${depth} levels deep; the maximum is ${limits.maxDepth}.`, 'DEPTH_LIMIT_EXCEEDED'));
    } else if (fields > limits.maxFields) {
      errors.push(limitError(`The operation selects more than ${limits.maxFields} fields (fragments expanded).`, 'FIELD_LIMIT_EXCEEDED'));
    }
  }
  return errors;
};
