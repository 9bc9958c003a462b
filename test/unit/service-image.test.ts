/**
 * Who is to blame for a missing image: breakfix's own images are the machine's business
 * (exit 2, `breakfix images`); any other name is the workspace's choice (exit 1), e.g. a
 * submission that points a service at a tag it never builds.
 */
import { describe, expect, it } from 'vitest';
import { resolveServiceImage } from '../../engine/deploy/images.js';
import { BreakfixError } from '../../engine/errors.js';
import type { Runtime } from '../../engine/runtime/runtime.js';
import { service } from '../support/compose-workspace.js';

const lab = { sessionId: 's1', scenarioId: 'x', workspace: '/tmp/ws' };
const api = (image: string) => service(`services:\n  api:\n    image: ${image}\n`);
const runtime = (known: string[]) =>
  ({
    inspectImage: async (ref: string) => (known.includes(ref) ? { id: `sha256:${ref}` } : undefined),
  }) as unknown as Runtime;

async function blame(image: string, known: string[] = []): Promise<string> {
  try {
    await resolveServiceImage(lab, api(image), runtime(known));
    return 'resolved';
  } catch (error) {
    return error instanceof BreakfixError ? `${error.kind}: ${error.message}` : String(error);
  }
}

describe('resolveServiceImage', () => {
  it('a tag the workspace names but never builds is the workspace’s mistake', async () => {
    expect(await blame('notes-api:2.0.0')).toBe('workspace: api: image notes-api:2.0.0 is not available locally');
  });
  it('a missing breakfix image is the machine’s', async () => {
    expect(await blame('breakfix/postgres:15')).toMatch(/^environment: /);
  });
  it('an image that exists locally is used as it is', async () => {
    expect(await blame('notes-api:2.0.0', ['notes-api:2.0.0'])).toBe('resolved');
  });
});
