/**
 * The cap on labs this server runs at once (`--max-sessions`). A live session holds one slot
 * from its creation until it is deleted; a grading round holds one for its duration (it deploys
 * a lab too). Acquiring is synchronous, so two requests racing for the last slot cannot both win.
 */
export interface Slot {
  readonly kind: 'session' | 'grade';
  release(): void;
}

export class Capacity {
  #inUse = 0;
  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`max sessions must be a positive integer, got ${max}`);
  }

  get inUse(): number {
    return this.#inUse;
  }

  /** A slot, or undefined when every slot is taken. `force` is for labs adopted at start-up. */
  tryAcquire(kind: Slot['kind'], force = false): Slot | undefined {
    if (!force && this.#inUse >= this.max) return undefined;
    this.#inUse += 1;
    let released = false;
    return {
      kind,
      release: () => {
        if (released) return;
        released = true;
        this.#inUse -= 1;
      },
    };
  }
}
