/**
 * `contentTypes`: which content types emit which actions, in our shape, plugin-io v5's list and strapi-plugin-io
 * v4's map. The fields of one entry are declared once (CONTENT_TYPE_FIELDS): adding one there reads it in every
 * shape, defaults it, types it and documents it.
 */
import { ConfigError } from './config-error';
import { option, type ReadContext, type SectionConfig, type ValueType } from './option-schema';
import { at, defaultsOf, expectKnownKeys, expectObject, isPlainObject, readFields } from './read-options';
import { CHANGE_ACTIONS, type ChangeAction, type PopulateConfig } from './change-actions';
import { booleanValue, fieldName, listOf, orUndefined, stringValue, valueType } from './value-types';

/** plugin-io verbs, our event names and v4's `createOrUpdate`, all mapped to ChangeActions. */
const ACTION_NAMES = new Map<string, readonly ChangeAction[]>([
  ['create', ['created']],
  ['update', ['updated']],
  ['delete', ['deleted']],
  ['publish', ['published']],
  ['unpublish', ['unpublished']],
  ['createOrUpdate', ['created', 'updated']],
  ['*', CHANGE_ACTIONS],
  ...CHANGE_ACTIONS.map((action): [string, readonly ChangeAction[]] => [action, [action]]),
]);
/** strapi-plugin-io v4 emitted on reads; reads are not changes, so these are accepted and ignored (with a warning). */
const READ_ACTIONS = new Set(['find', 'findOne']);
const ACTION_EXPECTED = `one of create, update, delete, publish, unpublish (or createOrUpdate, "*", ${CHANGE_ACTIONS.join(', ')})`;
const ACTIONS_EXPECTED = '"*" or a non-empty list of actions (create, update, delete, publish, unpublish)';

/** The action names `actions` lists accept, as the input type spells them. */
const ACTION_TYPE = 'RealtimeAction';
const ACTION_DECLARATIONS = { [ACTION_TYPE]: [...ACTION_NAMES.keys()].map((name) => `'${name}'`).join(' | ') };

const readAction = (value: unknown, key: string, context: ReadContext): readonly ChangeAction[] => {
  if (typeof value === 'string' && READ_ACTIONS.has(value)) {
    context.warnings.push(`config "${key}": "${value}" is a read, not a change; no event is emitted for it.`);
    return [];
  }
  const actions = typeof value === 'string' ? ACTION_NAMES.get(value) : undefined;
  if (!actions) throw new ConfigError(key, ACTION_EXPECTED, value);
  return actions;
};

const actionsValue: ValueType<ChangeAction[]> = {
  ...valueType(`'*' | ${ACTION_TYPE}[]`, ACTIONS_EXPECTED, (value, key, context) => {
    if (value === '*') return [...CHANGE_ACTIONS];
    if (!Array.isArray(value) || value.length === 0) throw new ConfigError(key, ACTIONS_EXPECTED, value);
    const chosen = new Set(value.flatMap((item, index) => readAction(item, at(key, index), context)));
    return CHANGE_ACTIONS.filter((action) => chosen.has(action));
  }),
  declarations: ACTION_DECLARATIONS,
};

const populateValue = valueType<PopulateConfig | undefined>(
  "'*' | boolean | string[] | { [field: string]: unknown }",
  '"*", true, a list of field names or a Strapi populate object',
  (value, key, context) => {
    if (value === undefined || value === false) return undefined;
    if (value === '*' || value === true) return value;
    if (Array.isArray(value)) return listOf(fieldName).read(value, key, context);
    if (isPlainObject(value)) {
      for (const [field, nested] of Object.entries(value)) {
        if (typeof nested !== 'boolean' && nested !== '*' && !isPlainObject(nested)) {
          throw new ConfigError(at(key, field), 'true, false, "*" or a populate object', nested);
        }
      }
      return value;
    }
    throw new ConfigError(key, '"*", true, a list of field names or a Strapi populate object', value);
  },
);

const eventPrefixValue = valueType<string>('string', 'a non-empty string without ":"', (value, key, context) => {
  const prefix = stringValue('a non-empty string without ":"').read(value, key, context);
  if (prefix.includes(':')) throw new ConfigError(key, 'a non-empty string without ":"', value);
  return prefix;
});

/** A uid (`api::article.article`) or a v4 singular name; checked against the app at register. */
const uidValue = (expected: string) =>
  valueType<string>('string', expected, (value, key) => {
    if (typeof value !== 'string' || !/^\S+$/.test(value)) throw new ConfigError(key, expected, value);
    return value;
  });

/** What one entry of `contentTypes` says about its content type. */
export const CONTENT_TYPE_FIELDS = {
  uid: option({
    type: uidValue('a content-type uid (e.g. "api::article.article")'),
    doc: 'The content type: its uid (`api::article.article`). Checked against the app at boot: an unknown uid stops it.',
  }),
  actions: option({
    type: actionsValue,
    default: [...CHANGE_ACTIONS],
    defaultDoc: "`'*'` (every action)",
    doc: "Actions that emit, on every transport: `create`, `update`, `delete`, `publish`, `unpublish` (plugin-io's verbs), our event names (`created`, ..., `draftDiscarded`), v4's `createOrUpdate`, or `'*'`.",
  }),
  populate: option({
    type: populateValue,
    default: undefined,
    defaultDoc: 'none',
    doc: "Relations, media and components the Socket.IO payload includes (`'*'`, `true`, `['author']` or Strapi's populate object), as plugin-io's `populate`. GraphQL selections load relations on their own.",
  }),
  eventPrefix: option({
    type: orUndefined(eventPrefixValue),
    default: undefined,
    defaultDoc: 'the singular name',
    doc: 'Socket.IO event name prefix (`article` in `article:create`).',
  }),
  conflate: option({
    type: booleanValue,
    default: false,
    doc: "When delivery falls behind, an `updated`/`published` event still waiting behind a newer one of the same document (and locale, version) is skipped: subscribers get the latest version only, with its cursor.",
  }),
};

export type ContentTypeSelection = SectionConfig<typeof CONTENT_TYPE_FIELDS>;

const SELECTION_KEYS = Object.keys(CONTENT_TYPE_FIELDS);
const SELECTION_EXPECTED = `a content-type uid (e.g. "api::article.article") or { ${SELECTION_KEYS.join(', ')} }`;

/** Everything but the uid, as an entry that names only its content type gets it. */
const defaultSelection = (uid: string, context: ReadContext): ContentTypeSelection => ({ ...defaultsOf(CONTENT_TYPE_FIELDS, context.env), uid }) as ContentTypeSelection;

const readSelection = (entry: unknown, key: string, context: ReadContext): ContentTypeSelection => {
  if (typeof entry === 'string') return defaultSelection(uidValue(SELECTION_EXPECTED).read(entry, key, context), context);
  const obj = expectObject(entry, key, SELECTION_EXPECTED);
  expectKnownKeys(obj, key, SELECTION_KEYS);
  return readFields(CONTENT_TYPE_FIELDS, obj, key, context);
};

/** plugin-io v5: `['api::article.article', { uid, actions, populate, eventPrefix }]`. */
const readSelectionList = (list: unknown[], context: ReadContext): ContentTypeSelection[] => {
  const firstIndex = new Map<string, number>();
  return list.map((entry, index) => {
    const key = at('contentTypes', index);
    const selection = readSelection(entry, key, context);
    // Merging two entries would have to pick one populate/eventPrefix silently: make the user pick.
    const previous = firstIndex.get(selection.uid);
    if (previous !== undefined) {
      throw new ConfigError(key, `each content type once (already listed at contentTypes[${previous}])`, selection.uid);
    }
    firstIndex.set(selection.uid, index);
    return selection;
  });
};

/** strapi-plugin-io v4: `{ article: '*', chat: ['create'] }`, keyed by singular name (resolved at register). */
const readV4Map = (map: Record<string, unknown>, context: ReadContext): ContentTypeSelection[] =>
  Object.entries(map).map(([name, actions]) => {
    const key = at('contentTypes', name);
    return { ...defaultSelection(uidValue('a singular name (e.g. "article") as key').read(name, key, context), context), actions: actionsValue.read(actions, key, context) };
  });

/** `'all-api'` (every `api::` content type, every action) or the selections, in any of the accepted shapes. */
export const contentTypesValue: ValueType<'all-api' | ContentTypeSelection[]> = {
  ...valueType(
    `'all-api' | '*' | (string | RealtimeContentTypeConfig)[] | { [singularName: string]: '*' | ${ACTION_TYPE}[] }`,
    `"all-api", "*", a list of uids / { ${SELECTION_KEYS.join(', ')} }, or a v4 { singularName: actions } map`,
    (value, key, context) => {
      // v4's '*' meant every content type and event: the same as our default.
      if (value === 'all-api' || value === '*') return 'all-api';
      if (Array.isArray(value)) return readSelectionList(value, context);
      if (isPlainObject(value)) return readV4Map(value, context);
      throw new ConfigError(key, contentTypesValue.expected, value);
    },
  ),
  declarations: ACTION_DECLARATIONS,
};
