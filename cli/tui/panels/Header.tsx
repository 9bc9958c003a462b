import { Box } from 'ink';
import type { GradeReport } from '../../../engine/index.js';
import { formatElapsed } from '../../render/text.js';
import { seg, type LineSegments } from '../segments.js';
import { Line } from './Line.js';

export interface HeaderProps {
  title: string;
  state: string;
  elapsedMs: number | undefined;
  report: GradeReport | undefined;
  width: number;
}

export function headerSegments({ title, state, elapsedMs, report }: Omit<HeaderProps, 'width'>): LineSegments {
  const score = report
    ? seg(`score ${report.score}/${report.maxScore}`, report.passed ? 'ok' : 'warn')
    : seg('score –', 'dim');
  const stateTone = state === 'passed' ? 'ok' : state === 'error' ? 'bad' : 'accent';
  // The right-hand facts come first so that a long title is what gets cut.
  return [
    seg('breakfix', 'bold'),
    seg(' · '),
    seg(state, stateTone),
    seg(' · '),
    seg(`⏱ ${elapsedMs === undefined ? '--:--' : formatElapsed(elapsedMs)}`),
    seg(' · '),
    score,
    seg(' · '),
    seg(title, 'bold'),
  ];
}

export function Header(props: HeaderProps) {
  return (
    <Box width={props.width}>
      <Line segments={headerSegments(props)} width={props.width} />
    </Box>
  );
}
