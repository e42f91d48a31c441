/** Serves an emulator over HTTP for the AWS CLI, boto3 and SDKs (`--endpoint-url http://127.0.0.1:4599`). */
import http from 'node:http';
import type { Emulator } from './index';

/**
 * An HTTP server that hands each request to `emulator.dispatch` without building web Request objects
 * (measurably faster on the hot path; `handle(Request)` is the same logic for route handlers).
 */
export function createEmulatorServer(emulator: Emulator): http.Server {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // KMS requests are small (the largest blob is 8 KiB); refuse anything absurd before buffering it.
      if (size > 1 << 20) {
        res.writeHead(413, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: 'ValidationException', message: 'Request body is too large.' }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      const header = (name: string) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v[0] : (v ?? null);
      };
      const out = emulator.dispatch({
        method: req.method ?? 'GET',
        target: header('x-amz-target'),
        authorization: header('authorization'),
        body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
      });
      // A flat [name, value, …] list: node writes it without validating an object per response.
      const headers: string[] = ['content-length', String(out.body.length)];
      for (const name in out.headers) headers.push(name, out.headers[name]);
      res.writeHead(out.status, headers);
      res.end(out.body);
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}
