import { describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { checkDocumentLimits } from '../../src/transports/graphql/document-limits';
import { fragmentBomb } from '../harness/hostile-documents';

const LIMITS = { maxDepth: 10, maxFields: 500, maxAliases: 30, maxValueDepth: 16 };
const codes = (query: string) => checkDocumentLimits(parse(query), LIMITS).map((error) => error.extensions.code);

describe('document limits', () => {
  it('accepts ordinary subscriptions with fragments', () => {
    expect(codes('subscription { articleCreated { ...Card category { name } } } fragment Card on Article { documentId title }')).toEqual([]);
  });

  it('costs a fragment bomb by its length: 60 levels (2^60 fields when expanded) is refused at once', () => {
    const started = process.hrtime.bigint();
    expect(codes(fragmentBomb(60))).toEqual(['FIELD_LIMIT_EXCEEDED']);
    // A sanity bound for a linear walk of ~60 fragments, not a benchmark (bench/document-limits measures).
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
  });

  it('counts depth through fragments and inline fragments, ignoring introspection fields', () => {
    const nested = (levels: number) => `${'category { articles { '.repeat(levels)}title${' } }'.repeat(levels)}`;
    expect(codes(`subscription { articleCreated { ${nested(4)} } }`)).toEqual([]);
    expect(codes(`subscription { articleCreated { ${nested(5)} } }`)).toEqual(['DEPTH_LIMIT_EXCEEDED']);
    expect(codes(`subscription { articleCreated { ...A } } fragment A on Article { ... on Article { ${nested(5)} } }`)).toEqual(['DEPTH_LIMIT_EXCEEDED']);
    expect(codes('subscription { articleCreated { __typename title } }')).toEqual([]);
  });

  it('refuses too many fields, aliases and nested literals; fragment cycles do not loop', () => {
    expect(codes(`subscription { articleCreated { ${'title '.repeat(501)} } }`)).toEqual(['FIELD_LIMIT_EXCEEDED']);
    expect(codes(`query { ${'title '.repeat(501)} } fragment Unused on Article { id }`)).toEqual(['FIELD_LIMIT_EXCEEDED']);
    expect(codes(`subscription { articleCreated { ${Array.from({ length: 31 }, (_, i) => `a${i}: title`).join(' ')} } }`)).toEqual(['ALIAS_LIMIT_EXCEEDED']);
    expect(codes(`subscription { articleCreated(filters: ${'{ not: '.repeat(17)}{}${' }'.repeat(17)}) { title } }`)).toEqual(['INPUT_DEPTH_LIMIT_EXCEEDED']);
    expect(codes('subscription { articleCreated { ...A } } fragment A on Article { ...B } fragment B on Article { ...A }')).toEqual([]);
  });
});
