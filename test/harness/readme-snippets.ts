import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const README = resolve(__dirname, '../../README.md');

/** One fenced code block of the README, with the `<!-- readme-test: ... -->` directives written just above it. */
export interface Snippet {
  /** 1-based line of the opening fence, for failure messages. */
  line: number;
  lang: string;
  code: string;
  directives: string[];
  /** The path its first line names (`// src/apollo.tsx`, `# src/graphql/articles.graphql`), if any. */
  path: string | null;
}

const DIRECTIVE = /^<!--\s*readme-test:\s*(.+?)\s*-->$/;
const NAMED_PATH = /^(?:\/\/|#)\s*((?:src\/|config\/)?[\w./-]+\.(?:tsx?|jsx?|cjs|mjs|graphql))\b/;

/** Every fenced block of README.md, in order. */
export const readmeSnippets = (text = readFileSync(README, 'utf8')): Snippet[] => {
  const lines = text.split('\n');
  const snippets: Snippet[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^```(\w*)\s*$/.exec(lines[index]);
    if (!open) continue;
    const start = index;
    const body: string[] = [];
    for (index++; index < lines.length && lines[index] !== '```'; index++) body.push(lines[index]);
    let above = start - 1;
    while (above >= 0 && lines[above].trim() === '') above--;
    const directive = above >= 0 ? DIRECTIVE.exec(lines[above].trim()) : null;
    const code = `${body.join('\n')}\n`;
    snippets.push({
      line: start + 1,
      lang: open[1],
      code,
      directives: directive ? directive[1].split(',').map((part) => part.trim()) : [],
      path: NAMED_PATH.exec(body[0] ?? '')?.[1] ?? null,
    });
  }
  return snippets;
};

/** The one snippet carrying `directive` (fails loudly if there is none or several). */
export const snippetWith = (directive: string, snippets = readmeSnippets()): Snippet => {
  const found = snippets.filter(({ directives }) => directives.includes(directive));
  if (found.length !== 1) throw new Error(`README.md needs exactly one code block marked <!-- readme-test: ${directive} --> (found ${found.length})`);
  return found[0];
};
