/** A recreated container asks Docker for the host ports its predecessor published. */
import { describe, expect, it } from 'vitest';
import { keepHostPorts } from '../../engine/deploy/stable-ports.js';

describe('keepHostPorts', () => {
  it('keeps the published port of the same container port and protocol; a pinned port stays as written', () => {
    expect(
      keepHostPorts(
        [
          { container: 8080, protocol: 'tcp' },
          { container: 8080, protocol: 'udp' },
          { container: 9090, host: 19090, protocol: 'tcp' },
          { container: 5432, protocol: 'tcp' },
        ],
        [
          { container: 8080, host: 49153, protocol: 'tcp' },
          { container: 9090, host: 49154, protocol: 'tcp' },
        ],
      ),
    ).toEqual([
      { container: 8080, host: 49153, protocol: 'tcp' },
      { container: 8080, protocol: 'udp' },
      { container: 9090, host: 19090, protocol: 'tcp' },
      { container: 5432, protocol: 'tcp' },
    ]);
  });
});
