/**
 * breakfix's lint: typescript-eslint's recommended rules, a module-size limit and the import
 * boundaries that keep the layers apart (docs/architecture.md, "Guards"). Run it with
 * `npm run lint` (tools/lint/run.js), which also runs `prettier --check`.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** A module longer than this does more than one thing: split it (generated JSON is not linted). */
export const MAX_MODULE_LINES = 400;

/** Relative imports that climb out of the current folder into one of these top-level folders. */
const into = (folders) => `^(\\.\\./)+(${folders})(/|$)`;

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', 'dist/**', 'bench/results/**', 'labs/**', 'scenarios/**', 'test/fixtures/**'],
  },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'max-lines': ['error', { max: MAX_MODULE_LINES, skipBlankLines: false, skipComments: false }],
      // Stripping terminal and XML control characters is what those regular expressions are for.
      'no-control-regex': 'off',
      // `let x; const f = () => x; x = …`: a closure that reads the variable later is not a mistake.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The front ends see the engine through its public entry only.
    files: ['cli/**', 'server/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+engine/(?!index\\.js$)',
              message: 'cli/ and server/ import only engine/index.ts: export what you need from there.',
            },
          ],
        },
      ],
    },
  },
  {
    // The engine knows nothing about who drives it.
    files: ['engine/**'],
    ignores: ['engine/checks/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: into('cli|server'), message: 'engine/ never imports from cli/ or server/.' }],
        },
      ],
    },
  },
  {
    // A check type observes; it does not reach into fault internals. Shared parameters live in
    // engine/params/; a probe that perturbs (faults) and observes (checks) lives in engine/probes/.
    files: ['engine/checks/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: into('cli|server'), message: 'engine/ never imports from cli/ or server/.' },
            {
              regex: '^(\\.\\./)+faults(/|$)',
              message:
                'engine/checks/ must not import engine/faults/: use engine/params/, or compose both in engine/probes/.',
            },
          ],
        },
      ],
    },
  },
);
