#!/usr/bin/env node
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadAppSdl } from './load-app-schema';

const USAGE = `Usage: strapi-realtime schema [--app <strapi app dir>] [--dist <build dir>] [--out <file>]

  Prints the GraphQL subscription schema (SDL) of the Strapi app in the current directory, or writes it to
  --out. The same SDL is served by the running app at /graphql/schema.graphql. Point @graphql-codegen at either.`;

const option = (args: string[], name: string) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};

const main = async (args: string[]) => {
  if (args[0] !== 'schema' || args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    process.exit(args[0] === 'schema' || args.length === 0 || args.includes('--help') ? 0 : 1);
  }
  const sdl = await loadAppSdl({ appDir: option(args, '--app') ?? process.cwd(), distDir: option(args, '--dist') });
  const out = option(args, '--out');
  if (!out) {
    process.stdout.write(sdl);
    return;
  }
  mkdirSync(dirname(resolve(out)), { recursive: true });
  writeFileSync(resolve(out), sdl);
  console.error(`strapi-realtime: wrote ${out}`);
};

main(process.argv.slice(2))
  .then(() => process.exit(0))
  .catch((error) => {
    console.error(`strapi-realtime: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
