import { bindingOf, FOOTER_KEYS } from '../keys.js';
import { seg, type LineSegments } from '../segments.js';
import { Line } from './Line.js';

export function footerSegments(busy: boolean): LineSegments {
  const parts: LineSegments = [];
  for (const command of FOOTER_KEYS) {
    const binding = bindingOf(command);
    if (!binding) continue;
    if (parts.length > 0) parts.push(seg('  '));
    // While busy, the keys that would start work are greyed out: they are ignored.
    const idle = busy && binding.acts;
    parts.push(seg(binding.key, idle ? 'dim' : 'accent'), seg(` ${binding.label}`, idle ? 'dim' : undefined));
  }
  return parts;
}

export function Footer({ busy, width }: { busy: boolean; width: number }) {
  return <Line segments={footerSegments(busy)} width={width} />;
}
