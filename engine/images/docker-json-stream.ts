/** The daemon's progress stream for pull and import: one JSON object per line. */
import type { Readable } from 'node:stream';

export interface DockerStreamMessage {
  status?: string;
  progress?: string;
  id?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/**
 * Calls `onMessage` for each message; rejects with the daemon's own words when a message
 * carries an error (the HTTP status is 200 by then, so this is the only place it shows).
 */
export async function readDockerJsonStream(
  stream: NodeJS.ReadableStream,
  onMessage: (message: DockerStreamMessage) => void,
): Promise<void> {
  let partial = '';
  let failure: string | undefined;
  const handle = (line: string): void => {
    if (!line.trim()) return;
    let message: DockerStreamMessage;
    try {
      message = JSON.parse(line) as DockerStreamMessage;
    } catch {
      message = { status: line };
    }
    if (message.error !== undefined || message.errorDetail?.message !== undefined)
      failure ??= message.error ?? message.errorDetail?.message;
    else onMessage(message);
  };
  (stream as Readable).setEncoding?.('utf8');
  for await (const chunk of stream as AsyncIterable<string | Buffer>) {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) handle(line);
  }
  handle(partial);
  if (failure !== undefined) throw new Error(failure);
}
