/**
 * One event stream per session, fed by the engine's notices and read by `GET …/events`.
 * Events are numbered; the last BUFFER are kept so a client that reconnects with
 * `Last-Event-ID` gets what it missed. `end` closes every subscriber.
 */
export interface HubEvent {
  id: number;
  event: string;
  data: unknown;
}

export type Listener = (event: HubEvent) => void;

export const BUFFER = 500;

export class EventHub {
  #seq = 0;
  #buffer: HubEvent[] = [];
  readonly #listeners = new Set<Listener>();
  #ended: string | undefined;

  get lastId(): number {
    return this.#seq;
  }

  get ended(): string | undefined {
    return this.#ended;
  }

  publish(event: string, data: unknown): HubEvent | undefined {
    if (this.#ended !== undefined) return undefined;
    const entry = { id: ++this.#seq, event, data };
    this.#buffer.push(entry);
    if (this.#buffer.length > BUFFER) this.#buffer.splice(0, this.#buffer.length - BUFFER);
    for (const listener of this.#listeners) listener(entry);
    return entry;
  }

  /** Events after `id`, or undefined when some of them are no longer buffered. */
  since(id: number): HubEvent[] | undefined {
    if (id >= this.#seq) return [];
    const first = this.#buffer[0];
    if (!first || first.id > id + 1) return undefined;
    return this.#buffer.filter((entry) => entry.id > id);
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get subscribers(): number {
    return this.#listeners.size;
  }

  /** The last event: subscribers see `end` with the reason, then are dropped. */
  end(reason: string, data: Record<string, unknown> = {}): void {
    if (this.#ended !== undefined) return;
    this.publish('end', { reason, ...data });
    this.#ended = reason;
    this.#listeners.clear();
  }
}
