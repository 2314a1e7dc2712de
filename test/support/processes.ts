import type { ChildProcess } from 'node:child_process';

/** SIGTERM to a helper process the tests started, resolved once it has exited (at once if it already had). */
export async function terminate(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
