import { createContext, useContext } from 'react';
import { Text } from 'ink';
import { fitSegments, type LineSegments, type Tone } from '../segments.js';

/** False under NO_COLOR: lines keep their marks (✓ ✗ !) and drop the colours. */
export const ColorContext = createContext(true);

export function toneProps(
  tone: Tone | undefined,
  color: boolean,
): { color?: string; dimColor?: boolean; bold?: boolean } {
  if (!tone) return {};
  if (tone === 'bold') return { bold: true };
  if (!color) return {};
  switch (tone) {
    case 'ok':
      return { color: 'green' };
    case 'bad':
      return { color: 'red' };
    case 'warn':
      return { color: 'yellow' };
    case 'accent':
      return { color: 'cyan' };
    case 'dim':
      return { dimColor: true };
  }
}

/** One screen line, cut to `width`; an empty line keeps its row. */
export function Line({ segments, width }: { segments: LineSegments; width: number }) {
  const color = useContext(ColorContext);
  const fitted = fitSegments(segments, width);
  if (fitted.every((segment) => segment.text === '')) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {fitted.map((segment, index) => (
        <Text key={index} {...toneProps(segment.tone, color)}>
          {segment.text}
        </Text>
      ))}
    </Text>
  );
}
