import { useEffect, useState } from 'react';

/** A counter that advances every `intervalMs` while enabled: spinners and clocks. */
export function useTicker(intervalMs: number, enabled = true): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => setCount((value) => value + 1), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, enabled]);
  return count;
}
