import { getNamedType, isLeafType, isNonNullType, isObjectType, type GraphQLSchema } from 'graphql';

/** Leaf fields shown in the example besides `documentId`: enough to recognise the entry, short enough to read. */
const EXTRA_LEAVES = 3;

const upperFirst = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * The operation GraphiQL opens with: the first `...Created` subscription of the schema (the first field when no
 * type emits creations), selecting `documentId` and a few leaf fields, under a comment saying what to do next.
 * Empty when the schema has no subscription field.
 */
export const buildExampleSubscription = (schema: GraphQLSchema): string => {
  const fields = Object.values(schema.getSubscriptionType()?.getFields() ?? {});
  const field = fields.find(({ name }) => name.endsWith('Created')) ?? fields[0];
  if (!field) return '';
  const returned = getNamedType(field.type);
  const leaves = isObjectType(returned)
    ? Object.values(returned.getFields()).filter(
        (candidate) => isLeafType(getNamedType(candidate.type)) && !candidate.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined),
      )
    : [];
  const names = leaves.map(({ name }) => name);
  const selection = names.includes('documentId')
    ? ['documentId', ...names.filter((name) => name !== 'documentId').slice(0, EXTRA_LEAVES)]
    : names.slice(0, EXTRA_LEAVES + 1);
  const step = field.name.endsWith('Created') ? `Create a${/^[AEIOU]/.test(returned.name) ? 'n' : ''} ${returned.name}` : `Change a ${returned.name}`;
  return [
    // Short lines: the editor is half of a laptop screen.
    '# 1. Run it: ▶ or Ctrl+Enter.',
    `# 2. ${step} (REST, GraphQL, admin).`,
    '# 3. The event shows up on the right.',
    '# As a user or API token, under Headers:',
    '# {"Authorization": "Bearer <token>"}',
    `subscription ${upperFirst(field.name)} {`,
    `  ${field.name} {`,
    ...selection.map((name) => `    ${name}`),
    '  }',
    '}',
    '',
  ].join('\n');
};
