/**
 * Samples of the check types that judge a document the learner writes (split from
 * checks-params.test.ts to keep each module small).
 */
import type { ParamsSample } from './params-suite.js';

const badRegex = '([unclosed';

export const documentCheckSamples: Record<string, ParamsSample> = {
  file: {
    minimal: { path: '.gitignore', expect: {} },
    parsed: { path: '.gitignore', expect: {} },
    required: ['path', 'expect'],
    invalid: [
      ['a path to a parent folder', { path: '../.gitignore' }],
      ['a path that climbs out further down', { path: 'docs/../../x' }],
      ['an absolute path', { path: '/etc/passwd' }],
      ['an empty path', { path: '' }],
      ['a bad pattern', { expect: { matches: badRegex } }],
      ['an empty contains list', { expect: { contains: [] } }],
      ['exists as text', { expect: { exists: 'no' } }],
    ],
    valid: [
      [
        'one string for contains',
        { path: 'runbook.md', expect: { contains: '## Rollback' } },
        { path: 'runbook.md', expect: { contains: ['## Rollback'] } },
      ],
    ],
  },
  markdown: {
    minimal: { path: 'runbook.md', expect: { sections: [{ heading: 'rollback' }] } },
    parsed: { path: 'runbook.md', expect: { sections: [{ heading: 'rollback', minWords: 10 }] } },
    required: ['path', 'expect'],
    invalid: [
      ['a path to a parent folder', { path: '../runbook.md' }],
      ['no sections', { expect: { sections: [] } }],
      ['a bad heading pattern', { expect: { sections: [{ heading: badRegex }] } }],
      ['a bad mention pattern', { expect: { sections: [{ heading: 'cause', mentions: [badRegex] }] } }],
      ['negative words', { expect: { sections: [{ heading: 'cause', minWords: -1 }] } }],
      ['an unknown key in a section', { expect: { sections: [{ heading: 'cause', words: 3 }] } }],
    ],
    valid: [
      [
        'one string for mentions',
        { path: 'runbook.md', expect: { sections: [{ heading: 'cause', mentions: 'DB_NAME' }] } },
        { path: 'runbook.md', expect: { sections: [{ heading: 'cause', minWords: 10, mentions: ['DB_NAME'] }] } },
      ],
    ],
  },
};
