// A separate process writing one state file many times, for the concurrent-writers test.
// usage: node state-file-writer.mjs <file> <writer-name> <count>
import { writeStateFile } from '../../engine/util/state-file.ts';

const [file, name, count] = process.argv.slice(2);
for (let index = 0; index < Number(count); index += 1) {
  // Big enough that a torn write would show: a reader must only ever see whole documents.
  await writeStateFile(file, JSON.stringify({ writer: name, index, padding: 'x'.repeat(64 * 1024) }));
}
