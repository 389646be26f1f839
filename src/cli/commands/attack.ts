/**
 * `loom attack update [--out FILE] [--url URL]`: downloads MITRE's ATT&CK
 * enterprise STIX bundle into the cache the site reads technique names from.
 * The download goes to a temporary file beside the target, is checked, and
 * only then renamed over it: a failed or bad download never replaces a good cache.
 */
import { createWriteStream, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import { ATTACK_CACHE, readStixFile } from '../../site/attack-file.ts';
import type { Command } from '../command.ts';
import { EXIT, UsageError, type Io } from '../io.ts';
import { integer } from '../options.ts';

/** MITRE's enterprise bundle, always the latest release. */
export const ATTACK_URL =
  'https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/enterprise-attack/enterprise-attack.json';

const help = `Usage: loom attack update [options]

Downloads MITRE's ATT&CK enterprise STIX bundle (the latest release) and keeps
it where the site reads technique and tactic names from when no bundle is
configured (loom.attackBundle in package.json, or LOOM_ATTACK_BUNDLE):

  ${ATTACK_CACHE}

The download is checked (a STIX bundle with attack-pattern objects) before it
replaces the file, so a failed or bad download leaves the old one in place.

Options:
  -o, --out <file>      where to write the bundle (default: the cache above)
      --url <url>       download from this http(s) URL instead, e.g. a mirror
                        (default: ${ATTACK_URL})
      --timeout <s>     seconds to wait for a connection, and for data once
                        connected (default: 10)
  -h, --help            show this help

Exit codes: 0 written; 1 download failed (offline, HTTP error) or not an
ATT&CK STIX bundle; 2 usage errors.
`;

/** A download failure with a message for the user (no stack trace). */
class DownloadError extends Error {
  override name = 'DownloadError';
}

/** The server answered, but not with the file (an HTTP error, a bad redirect). */
class HttpError extends DownloadError {
  override name = 'HttpError';
}

const NETWORK_CODES: Record<string, string> = {
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve (DNS is not answering)',
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  ENETUNREACH: 'the network is unreachable',
  EHOSTUNREACH: 'the host is unreachable',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate cannot be verified',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
};

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

/**
 * GETs `url` (following up to 5 redirects) into `file`, with a connect
 * timeout and an idle timeout. Progress goes to `progress` when given.
 */
async function download(
  url: URL,
  file: string,
  timeoutMs: number,
  progress?: (received: number, total: number | undefined) => void,
): Promise<void> {
  let response: IncomingMessage | undefined;
  let current = url;
  for (let redirects = 0; ; redirects++) {
    response = await get(current, timeoutMs);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location && redirects < 5) {
      response.resume();
      current = new URL(location, current);
      if (current.protocol !== 'https:' && current.protocol !== 'http:')
        throw new HttpError(`${url.href} redirects to \`${current.href}\`, expected an http(s) URL`);
      continue;
    }
    if (status !== 200) {
      response.resume();
      throw new HttpError(
        `Unexpected HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''} from ${current.href}, expected 200`,
      );
    }
    break;
  }
  const gzip = /\bgzip\b/i.test(String(response.headers['content-encoding'] ?? ''));
  const length = Number(response.headers['content-length']);
  const total = !gzip && Number.isFinite(length) && length > 0 ? length : undefined;
  let received = 0;
  let last = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      const now = Date.now();
      if (progress && now - last > 100) {
        last = now;
        progress(received, total);
      }
      done(null, chunk);
    },
  });
  response.setTimeout(timeoutMs, () =>
    response.destroy(new DownloadError(`no data from ${current.host} for ${timeoutMs / 1000} s`)),
  );
  if (gzip) await pipeline(response, count, createGunzip(), createWriteStream(file));
  else await pipeline(response, count, createWriteStream(file));
  progress?.(received, total);
}

/** One GET: resolves with the response headers, or rejects on a network error or timeout. */
function get(url: URL, timeoutMs: number): Promise<IncomingMessage> {
  return new Promise((resolvePromise, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: 'GET',
      headers: { 'user-agent': 'loom-attack-update', 'accept-encoding': 'gzip', accept: 'application/json' },
    });
    const connect = setTimeout(
      () => request.destroy(new DownloadError(`no connection to ${url.host} within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    request.on('socket', (socket) => {
      if (!socket.connecting) clearTimeout(connect);
      socket.once('connect', () => clearTimeout(connect));
    });
    request.on('response', (response) => {
      clearTimeout(connect);
      resolvePromise(response);
    });
    request.on('error', (error) => {
      clearTimeout(connect);
      reject(error);
    });
    request.end();
  });
}

/** Turns a network error into one line a user can act on. */
function networkMessage(error: unknown, url: URL): string {
  if (error instanceof DownloadError) return error.message;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const why = NETWORK_CODES[code] ?? (error as Error).message;
  return `cannot download ${url.href}: ${why}${code && NETWORK_CODES[code] ? ` (${code})` : ''}`;
}

async function update(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      url: { type: 'string' },
      timeout: { type: 'string' },
    },
  });
  if (positionals.length)
    throw new UsageError(`Unexpected argument \`${positionals[0]}\`, expected options only (--out, --url, --timeout)`);
  let url: URL;
  try {
    url = new URL(values.url ?? ATTACK_URL);
  } catch {
    throw new UsageError(`Unexpected --url \`${values.url}\`, expected an http(s) URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UsageError(`Unexpected --url \`${values.url}\`, expected an http(s) URL`);
  const seconds = integer('--timeout', values.timeout, 10);
  if (seconds < 1) throw new UsageError(`Unexpected --timeout \`${values.timeout}\`, expected at least 1 second`);
  const outName = values.out ?? ATTACK_CACHE;
  const out = resolve(io.cwd, outName);
  const rel = relative(io.cwd, out);
  const shown = !rel || rel.startsWith('..') || isAbsolute(rel) ? out : rel;
  const temp = `${out}.${process.pid}.download`;
  const fail = (message: string) => {
    rmSync(temp, { force: true });
    io.stderr(`loom attack update: ${message}\n`);
    return EXIT.failed;
  };
  try {
    mkdirSync(dirname(out), { recursive: true });
  } catch (error) {
    return fail(`cannot create the folder of \`${shown}\`: ${(error as Error).message}`);
  }
  const progress = io.isTTY
    ? (received: number, total: number | undefined) =>
        io.stderr(
          `\rloom attack update: ${mb(received)}${total ? ` / ${mb(total)} MB (${Math.floor((received / total) * 100)}%)` : ' MB'}   `,
        )
    : undefined;
  if (io.isTTY) io.stderr(`loom attack update: downloading ${url.href}\n`);
  try {
    await download(url, temp, seconds * 1000, progress);
  } catch (error) {
    if (io.isTTY) io.stderr('\n');
    const unchanged = values.out ? `\`${shown}\` was not changed.` : 'The cache was not changed.';
    if (error instanceof HttpError) return fail(`${error.message}; ${unchanged}`);
    return fail(
      `${networkMessage(error, url)}\n` +
        `Are you offline? Use --url to download from a mirror, or point loom.attackBundle (package.json) or LOOM_ATTACK_BUNDLE at a bundle on disk. ` +
        unchanged,
    );
  }
  if (io.isTTY) io.stderr('\n');
  // Checked as the site will read it, before it replaces anything.
  const read = readStixFile(temp);
  if ('problem' in read)
    return fail(
      `Unexpected response from ${url.href} (${read.problem}), expected an ATT&CK STIX bundle; \`${shown}\` was not changed`,
    );
  try {
    renameSync(temp, out);
  } catch (error) {
    return fail(`cannot write \`${shown}\`: ${(error as Error).message}`);
  }
  const { names } = read;
  const version = names.version;
  const parents = [...names.techniques.values()].filter((t) => !t.parent).length;
  io.stdout(
    `loom attack update: ATT&CK${version ? ` ${version}` : ''} enterprise bundle (${parents} techniques, ` +
      `${names.techniques.size - parents} sub-techniques, ${names.tactics.size} tactics) written to ${shown} ` +
      `(${mb(statSync(out).size)} MB)\n`,
  );
  return EXIT.ok;
}

/** The attack command. */
export const command: Command = {
  name: 'attack',
  help,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'update') return update(rest, io);
    throw new UsageError(
      sub === undefined ? 'Expected a subcommand: `update`' : `Unexpected subcommand \`${sub}\`, expected \`update\``,
    );
  },
};
