import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/**
 * Writes a state file so that no reader ever sees half of it and no crash leaves it empty:
 * one writer at a time per file in this process (queued in call order), a temp file with a
 * name unique to the process and the write, fsync, rename over the old file, fsync of the
 * folder so the rename itself survives a power cut. Two processes never write the same
 * session at once (the workspace lock); if they did, each rename is still whole.
 *
 * write-file-atomic (npm's own) does the unique names, fsync and rename. The queue is ours,
 * around the whole write (folder creation and fsync included), so that the call order is the
 * order on disk: the last call's content is what stays.
 */
export function writeStateFile(file: string, text: string): Promise<void> {
  const key = path.resolve(file);
  const write = (queues.get(key) ?? Promise.resolve()).then(() => writeNow(key, text));
  const tail = write.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return write;
}

/** The last write queued per file; a write starts when the one before it has settled. */
const queues = new Map<string, Promise<void>>();

async function writeNow(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, text, { fsync: true });
  const folder = await open(path.dirname(file), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
