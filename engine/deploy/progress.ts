import type { BuildProgress } from '../runtime/build-progress.js';

export type ServiceStatus =
  | 'building'
  | 'built'
  | 'stopping'
  | 'creating'
  | 'starting'
  | 'waiting'
  | 'ready'
  | 'kept'
  | 'not-started'
  | 'removed'
  /** Settled, but not in the state compose.yaml wants (detail: why). */
  | 'failed';

/** What a deploy reports while it works: the TUI, `images`-style progress lines and SSE use it. */
export type LabProgress =
  | { phase: 'build'; service: string; event: BuildProgress }
  | { phase: 'service'; service: string; status: ServiceStatus; detail?: string };

export type ProgressListener = (event: LabProgress) => void;
