// What `bench --queue` and `itinera worker` share: the Redis address, the queue's name and what a job carries.
import { readFileSync } from 'node:fs';
import type { RedisOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { ItineraError } from '@itinera/core';
import type { EpisodeSpec } from '@itinera/bench';

/** One queue for every suite: a worker serves whichever suite was enqueued, the job says which. */
export const QUEUE_NAME = 'itinera-bench';

/** The itinera version that built a job; a worker of another version refuses it (episodes could differ). */
export const CODE_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface QueueJobData {
  /** The suite file as given to `bench --queue`, for messages. */
  file: string;
  /** The suite file's text: workers resolve it themselves and need no copy of it. */
  text: string;
  /** The files a composite suite includes, by path as joined to the suite file's folder (absent for a plain suite). */
  includes?: Record<string, string>;
  suite: string;
  /** suiteHash of the resolved episodes: a worker whose code resolves the text differently refuses the job. */
  hash: string;
  code: string;
  spec: EpisodeSpec;
}

/** Every suite file a job carries, by path: what resolveSuite reads instead of the disk. */
export function jobTexts(data: QueueJobData): Record<string, string> {
  return { ...data.includes, [data.file]: data.text };
}

/** BullMQ job ids may not contain ':'; results keys rarely do, and escaping keeps them readable. */
export function jobIdOf(key: string): string {
  return key.replaceAll('%', '%25').replaceAll(':', '%3A');
}

/** The address without a password, for messages. */
export function redisName(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.length > 1 ? u.pathname : ''}`;
  } catch {
    return url;
  }
}

/** Connection options for `redis://[:PASSWORD@]HOST:PORT[/DB]` once a first connection has answered PING; refuses promptly otherwise. */
export async function redisConnection(url: string, connectTimeoutMs = 5000): Promise<RedisOptions> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ItineraError(`--queue '${url}' is not a URL: expected redis://HOST:PORT`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new ItineraError(`--queue '${redisName(url)}': expected redis://HOST:PORT (or rediss:// for TLS)`);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new ItineraError(`--queue '${redisName(url)}': the path must be a database number (redis://HOST:PORT/DB)`);
  const options: RedisOptions = {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port === '' ? 6379 : Number(u.port),
    db,
    ...(u.username && { username: decodeURIComponent(u.username) }),
    ...(u.password && { password: decodeURIComponent(u.password) }),
    ...(u.protocol === 'rediss:' && { tls: {} }),
    connectTimeout: connectTimeoutMs,
  };
  // A throwaway client that fails once instead of retrying forever, so a wrong address is one line, not a hang.
  const probe = new Redis({ ...options, tls: options.tls as object | undefined, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // The socket's own error (ECONNREFUSED, ENOTFOUND) says more than the rejection's "Connection is closed".
  let cause: Error | undefined;
  probe.on('error', (error: Error) => (cause ??= error));
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    throw new ItineraError(`cannot reach Redis at ${redisName(url)} (${(cause ?? (error as Error)).message})`);
  } finally {
    probe.disconnect();
  }
  // BullMQ's blocking connections must retry forever (maxRetriesPerRequest null); it sets that itself.
  return options;
}
