/**
 * A small S3 client for backup destinations: PUT (from a file, with its SHA-256), GET (to a
 * file), DELETE and ListObjectsV2, signed with AWS Signature Version 4. Works with AWS S3 and with
 * S3-compatible stores (MinIO, Ceph, cloud vendors' object storage) through MES_S3_ENDPOINT, which
 * switches to path-style addressing. Credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 * optionally AWS_SESSION_TOKEN; region: AWS_REGION (default us-east-1).
 */
import { createHash, createHmac } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface S3Config {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
  /** https://minio.internal:9000 for an S3-compatible store (path-style); unset: AWS virtual-hosted style. */
  endpoint?: string;
}

export interface SignInput {
  method: string;
  url: URL;
  headers: Record<string, string>;
  /** Hex SHA-256 of the body (of the empty string for none). */
  payloadHash: string;
  region: string;
  service: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** YYYYMMDD'T'HHMMSS'Z' */
  amzDate: string;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
export const EMPTY_SHA256 = sha256('');

/** RFC 3986 encoding as SigV4 wants it; a path is encoded segment by segment, its slashes kept. */
const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const encodePath = (p: string) => p.split('/').map(encode).join('/');

/** The Authorization header (and the headers it signed) of a request, per AWS Signature Version 4. */
export function signV4(input: SignInput): Record<string, string> {
  const headers: Record<string, string> = { ...Object.fromEntries(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v.trim()])), host: input.url.host, 'x-amz-date': input.amzDate };
  if (input.sessionToken) headers['x-amz-security-token'] = input.sessionToken;
  const names = Object.keys(headers).sort();
  const query = [...input.url.searchParams.entries()]
    .map(([k, v]) => [encode(k), encode(v)])
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [
    input.method,
    encodePath(decodeURIComponent(input.url.pathname)),
    query,
    ...names.map((n) => `${n}:${headers[n]}`),
    '',
    names.join(';'),
    input.payloadHash,
  ].join('\n');
  const day = input.amzDate.slice(0, 8);
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', input.amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${input.secretAccessKey}`, day), input.region), input.service), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=${input.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
}

export function s3ConfigFromEnv(env: NodeJS.ProcessEnv = process.env): S3Config {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw new Error('an s3:// destination needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and MES_S3_ENDPOINT for an S3-compatible store)');
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined, region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1', endpoint: env.MES_S3_ENDPOINT || undefined };
}

export class S3Client {
  constructor(private readonly config: S3Config, private readonly bucket: string) {}

  private url(key: string, query: Record<string, string> = {}): URL {
    const path = `/${encodePath(key)}`;
    const url = this.config.endpoint
      ? new URL(`${this.config.endpoint.replace(/\/+$/, '')}/${this.bucket}${path}`)
      : new URL(`https://${this.bucket}.s3.${this.config.region}.amazonaws.com${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return url;
  }

  private async send(method: string, url: URL, opts: { payloadHash?: string; headers?: Record<string, string>; body?: BodyInit } = {}): Promise<Response> {
    const payloadHash = opts.payloadHash ?? EMPTY_SHA256;
    const headers = signV4({
      method, url, headers: { ...opts.headers, 'x-amz-content-sha256': payloadHash }, payloadHash, region: this.config.region, service: 's3',
      accessKeyId: this.config.accessKeyId, secretAccessKey: this.config.secretAccessKey, sessionToken: this.config.sessionToken,
      amzDate: new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z'),
    });
    delete headers.host;
    const res = await fetch(url, { method, headers, body: opts.body, ...(opts.body ? { duplex: 'half' } : {}) } as RequestInit);
    if (!res.ok && !(method === 'GET' && res.status === 404)) {
      const text = await res.text();
      const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? res.statusText;
      throw new Error(`S3 ${method} ${url.pathname}: ${res.status} ${code}`);
    }
    return res;
  }

  /** Uploads a file; its SHA-256 is signed, so the store rejects a body that changed on the way. */
  async putFile(key: string, file: string): Promise<void> {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    const size = (await stat(file)).size;
    await this.send('PUT', this.url(key), {
      payloadHash: hash.digest('hex'), headers: { 'content-length': String(size) }, body: Readable.toWeb(createReadStream(file)) as unknown as BodyInit,
    });
  }

  async putText(key: string, text: string): Promise<void> {
    await this.send('PUT', this.url(key), { payloadHash: sha256(text), headers: { 'content-type': 'application/json' }, body: text });
  }

  /** Downloads an object to a file; false when there is none. */
  async getFile(key: string, file: string): Promise<boolean> {
    const res = await this.send('GET', this.url(key));
    if (res.status === 404 || !res.body) return false;
    await pipeline(Readable.fromWeb(res.body as never), createWriteStream(file));
    return true;
  }

  async getText(key: string): Promise<string | undefined> {
    const res = await this.send('GET', this.url(key));
    return res.status === 404 ? undefined : res.text();
  }

  async delete(key: string): Promise<void> {
    await this.send('DELETE', this.url(key));
  }

  /** Every key under a prefix (following continuation tokens). */
  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const res = await this.send('GET', this.url('', { 'list-type': '2', prefix, ...(token ? { 'continuation-token': token } : {}) }));
      const xml = await res.text();
      for (const m of xml.matchAll(/<Key>([^<]+)<\/Key>/g)) keys.push(unescapeXml(m[1]));
      token = /<IsTruncated>true<\/IsTruncated>/.test(xml) ? unescapeXml(/<NextContinuationToken>([^<]+)<\/NextContinuationToken>/.exec(xml)?.[1] ?? '') || undefined : undefined;
    } while (token);
    return keys;
  }
}

const unescapeXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
