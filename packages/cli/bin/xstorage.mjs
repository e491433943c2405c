#!/usr/bin/env node
// The `xstorage` command as npm installs it (`npx xstorage`, `npm install -g`): runs the bundle `npm run build` makes.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/main.mjs', import.meta.url));
if (!existsSync(main)) {
  console.error(`xstorage: ${main} is missing: run \`npm run build\` in the repository first`);
  process.exit(1);
}
await import(main);
