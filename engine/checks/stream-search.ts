/**
 * Whether a byte sequence occurs anywhere in a stream, read chunk by chunk: an image's `docker
 * save` tar holds every layer's files verbatim (uncompressed), its config and its history, so a
 * secret copied into any layer — even one a later `RUN rm` hid — is found in it.
 */
export async function streamContains(
  stream: NodeJS.ReadableStream,
  needles: readonly Buffer[],
  signal?: AbortSignal,
): Promise<number[]> {
  const longest = Math.max(0, ...needles.map((needle) => needle.length));
  const found = new Set<number>();
  let tail = Buffer.alloc(0);
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    if (signal?.aborted) break;
    // The last bytes of the previous chunk, so a needle split across two chunks is seen.
    const window = Buffer.concat([tail, Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)]);
    needles.forEach((needle, index) => {
      if (!found.has(index) && window.includes(needle)) found.add(index);
    });
    if (found.size === needles.length) break;
    tail = window.subarray(Math.max(0, window.length - longest + 1));
  }
  (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
  return [...found].sort();
}
