// Run by the image's build stage: `node dist/buildinfo.js dist/build-info.json`.
import { readFileSync, writeFileSync } from 'fs';
import path from 'path';

const out = process.argv[2] ?? 'dist/build-info.json';
const version = process.env.APP_VERSION || readFileSync(path.join(__dirname, '..', 'VERSION'), 'utf8').trim();
writeFileSync(
  out,
  `${JSON.stringify({ version, revision: process.env.GIT_REVISION || 'unknown', builtAt: new Date().toISOString() })}\n`,
);
