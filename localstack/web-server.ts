import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { HOST, ROOT } from './settings';

/**
 * The dashboard's static files (web/dist, built by `npm run web:build`)
 * for the local stack, plus the config.json that points the app at this
 * stack's GraphQL endpoint and relay. On AWS, S3 + CloudFront serve the
 * same files and a config.json written at deploy.
 */
const DIST = path.join(ROOT, 'web', 'dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

const port = Number(process.env.WEB_PORT ?? 5173);
const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:3000';
const config = JSON.stringify({
  graphqlUrl: `${apiUrl}/graphql`,
  relayUrl: process.env.RELAY_URL ?? 'http://127.0.0.1:4000',
});

const server = http.createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/config.json') {
    response.writeHead(200, { 'content-type': TYPES['.json'] });
    return response.end(config);
  }
  // Files under DIST only; anything else is the app's index.html.
  const file = path.join(DIST, path.normalize(url.pathname));
  const inside = file.startsWith(DIST + path.sep);
  const target =
    inside && fs.existsSync(file) && fs.statSync(file).isFile()
      ? file
      : path.join(DIST, 'index.html');
  fs.readFile(target, (error, body) => {
    if (error) {
      response.writeHead(503, { 'content-type': 'text/plain' });
      return response.end('web/dist is missing: run npm run web:build\n');
    }
    response.writeHead(200, {
      'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    });
    response.end(body);
  });
});

server.listen(port, HOST, () => {
  process.stdout.write(`dashboard at http://${HOST}:${port}\n`);
});
