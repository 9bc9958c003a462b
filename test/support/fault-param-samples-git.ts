/** The git fault types' samples (split from fault-param-samples.ts to keep each module small). */
import type { FaultSample } from './fault-param-samples.js';

/** Paths that leave the workspace: every path param must refuse them. */
export const escapes: Array<[string, string]> = [
  ['a parent folder', '../outside.yaml'],
  ['a parent folder further down', 'a/../../outside'],
  ['an absolute path', '/etc/passwd'],
  ['a Windows-style parent', '..\\outside'],
  ['an empty path', ''],
];

export const gitFaultSamples: Record<string, FaultSample> = {
  'git.commit': {
    phase: 'workspace',
    minimal: { message: 'initial' },
    parsed: {
      message: 'initial',
      add: 'all',
      force: false,
      untrack: [],
      author: { name: 'Shop Team', email: 'team@shop.example' },
      date: '2026-03-02T09:00:00Z',
    },
    required: ['message'],
    invalid: [
      ['an empty message', { message: '' }],
      ['a date that is not ISO 8601', { date: 'yesterday' }],
      ['an empty add list', { add: [] }],
      ['an author without an e-mail', { author: { name: 'x' } }],
      ...escapes.map(([why, file]): [string, Record<string, unknown>] => [
        `an added file that is ${why}`,
        { add: [file] },
      ]),
    ],
    valid: [
      [
        'listed files, forced, one untracked',
        { add: ['secrets/key.txt'], force: true, untrack: ['old.txt'] },
        { add: ['secrets/key.txt'], force: true, untrack: ['old.txt'] },
      ],
    ],
  },
  'git.rewrite': {
    phase: 'workspace',
    minimal: { removePaths: ['secrets/key.txt'] },
    parsed: { replaceText: [], removePaths: ['secrets/key.txt'] },
    // Either replaceText or removePaths; the sample gives removePaths only.
    required: ['removePaths'],
    invalid: [
      ['a rewrite that changes nothing', { removePaths: [] }],
      ['an empty text to find', { replaceText: [{ find: '' }] }],
      ...escapes.map(([why, file]): [string, Record<string, unknown>] => [
        `a removed path that is ${why}`,
        { removePaths: [file] },
      ]),
    ],
    valid: [
      [
        'a text, the default marker',
        { removePaths: [], replaceText: [{ find: 'k1' }] },
        { replaceText: [{ find: 'k1', replace: '***REMOVED***' }] },
      ],
    ],
  },
};
