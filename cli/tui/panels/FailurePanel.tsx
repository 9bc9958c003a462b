import { wrap } from '../../render/text.js';
import { seg, type LineSegments } from '../segments.js';
import { Panel } from './Panel.js';

export function failureSegments(reason: string, next: string, width: number): LineSegments[] {
  // The reason is the one thing to read on this screen: wrap it rather than cut it.
  const reasonLines = wrap(reason, Math.max(20, width - 2)).map((line, index): LineSegments => [
    seg(index === 0 ? '✗ ' : '  ', 'bad'),
    seg(line, 'bad'),
  ]);
  return [
    ...reasonLines,
    [seg('next: ', 'bold'), seg(next)],
    [],
    [
      seg('r', 'accent'),
      seg(' try again (reset)   '),
      seg('s', 'accent'),
      seg(' remove the lab and quit   '),
      seg('q', 'accent'),
      seg(' quit, leaving it for inspection'),
    ],
  ];
}

export function FailurePanel({
  reason,
  next,
  width,
  maxLines,
}: {
  reason: string;
  next: string;
  width: number;
  maxLines: number;
}) {
  return (
    <Panel
      title="The lab did not come up"
      lines={failureSegments(reason, next, width)}
      width={width}
      maxLines={maxLines}
    />
  );
}
