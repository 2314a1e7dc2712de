import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './child-app';
import { ADMIN_DATABASE_URL, withPort } from './infrastructure';
import { terminate } from './processes';

/** Debian installs it in /usr/sbin, which a non-root PATH may lack; PGBOUNCER_BIN overrides. */
const BINARY = process.env.PGBOUNCER_BIN ?? (existsSync('/usr/sbin/pgbouncer') ? '/usr/sbin/pgbouncer' : 'pgbouncer');

/**
 * A real PgBouncer in transaction pooling mode in front of the tests' Postgres, of this test file
 * alone (its own port and config): every database of the server under its own name, at most
 * `poolSize` server connections to each, so that its clients really take turns on them. It
 * ignores no startup parameter: one that the service sent would be refused, as in production.
 */
export class PgBouncer {
  readonly dir = mkdtempSync(join(tmpdir(), 'pgbouncer-test-'));
  port = 0;
  private process: ChildProcess | null = null;

  constructor(readonly poolSize = 5) {}

  /** The URL of `database` through this PgBouncer, as the tests' Postgres user. */
  url(database: string): string {
    const url = new URL(withPort(ADMIN_DATABASE_URL, this.port, `/${database}`));
    url.hostname = '127.0.0.1';
    return url.toString();
  }

  async start(): Promise<this> {
    this.port = this.port || (await freePort());
    const server = new URL(ADMIN_DATABASE_URL);
    const user = decodeURIComponent(server.username || 'postgres');
    const quoted = (s: string) => `"${s.replaceAll('"', '""')}"`;
    // auth_type trust still needs the user listed; its password is what PgBouncer logs in with.
    writeFileSync(join(this.dir, 'userlist.txt'), `${quoted(user)} ${quoted(decodeURIComponent(server.password))}\n`);
    writeFileSync(
      join(this.dir, 'pgbouncer.ini'),
      [
        '[databases]',
        `* = host=${server.hostname} port=${server.port || 5432}`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${this.port}`,
        'unix_socket_dir =',
        'auth_type = trust',
        `auth_file = ${join(this.dir, 'userlist.txt')}`,
        'pool_mode = transaction',
        `default_pool_size = ${this.poolSize}`,
        'max_client_conn = 500',
        'logfile =',
        'pidfile =',
        '',
      ].join('\n'),
    );
    // PgBouncer refuses to run as root (CI runs the tests as root): it then drops to nobody,
    // which must still read its files.
    chmodSync(this.dir, 0o755);
    const asUser = process.getuid?.() === 0 ? ['-u', 'nobody'] : [];
    const child = spawn(BINARY, [...asUser, join(this.dir, 'pgbouncer.ini')], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('process up')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('error', (error) => reject(new Error(`cannot run ${BINARY} (scripts/ensure-services.sh installs it): ${error.message}`)));
      child.once('exit', (code) => reject(new Error(`pgbouncer exited (${code}) during start-up:\n${output}`)));
      setTimeout(() => reject(new Error(`pgbouncer not ready within 10 s:\n${output}`)), 10_000).unref();
    });
    return this;
  }

  async destroy(): Promise<void> {
    const child = this.process;
    this.process = null;
    await terminate(child);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
