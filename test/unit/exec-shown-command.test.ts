import { describe, expect, it } from 'vitest';
import { shownCommand } from '../../engine/checks/exec.js';

describe('the command an exec check names in its message', () => {
  it('is the command itself when it fits on one line', () => {
    expect(shownCommand(['sh', '-c', 'cat /srv/version.txt'])).toBe('sh -c cat /srv/version.txt');
  });
  it('shows an inline script of several lines as …', () => {
    expect(shownCommand(['python3', '-c', 'import os\nprint(os.getpid())\n'])).toBe('python3 -c …');
  });
  it('is cut at 160 characters', () => {
    const shown = shownCommand(['sh', '-c', `echo ${'x'.repeat(300)}`]);
    expect(shown).toHaveLength(160);
    expect(shown.endsWith('…')).toBe(true);
  });
});
