/** Progress of an image build, as the engine reports it to the CLI, the TUI and SSE. */
export type BuildProgress =
  { kind: 'step'; step: number; total: number; instruction: string } | { kind: 'output'; line: string };
