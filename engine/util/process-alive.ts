/**
 * Whether a process id still names a live process (signal 0 checks without sending). EPERM means
 * it lives under another user: alive. Used to tell an abandoned pid file or lab from a live one.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
