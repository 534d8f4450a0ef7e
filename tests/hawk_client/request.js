// Sends one request signed by the reference Hawk client (@hapi/hawk) and checks the server's
// reply the way that client does. Input: a JSON spec as argv[2]. Output: one JSON line.
//   {url, method, id, key, ext, payload?, contentType?, timestamp?, nonce?, repeat?, walk?}
// repeat: send the identical signed request twice (a replay) and report the second answer.
// walk: "<collection>": follow `token` from page to page (appended raw, as most clients do) and
//   report every item id, the page count and whether every response verified; `token` starts the
//   walk from that token instead of the first page.
// timestamp: the ts to sign (seconds); the tests pass the server's (injected) clock.
'use strict';
const Hawk = require('@hapi/hawk');
const http = require('http');

const spec = JSON.parse(process.argv[2]);
const credentials = { id: spec.id, key: spec.key, algorithm: 'sha256' };

function send(header, url = spec.url) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const headers = { Authorization: header };
    if (spec.payload !== undefined) {
      headers['Content-Type'] = spec.contentType || 'application/json';
      headers['Content-Length'] = Buffer.byteLength(spec.payload);
    }
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: spec.method, headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => { body += c; });
        res.on('end', () => resolve({ res, body }));
      });
    req.on('error', reject);
    if (spec.payload !== undefined) req.write(spec.payload);
    req.end();
  });
}

async function walk() {
  const ids = [];
  let pages = 0;
  let verified = true;
  let token = spec.token || null;
  do {
    const url = token ? spec.url + (spec.url.includes('?') ? '&' : '?') + 'token=' + token : spec.url;
    const { header, artifacts } = Hawk.client.header(url, 'GET', { credentials, ext: spec.ext, timestamp: spec.timestamp });
    const { res, body } = await send(header, url);
    if (res.statusCode !== 200) return { status: res.statusCode, body, pages, ids };
    try {
      await Hawk.client.authenticate(res, credentials, artifacts, { payload: body, required: true });
    } catch (err) {
      verified = false;
    }
    const page = JSON.parse(body);
    for (const item of page[spec.walk]) ids.push(item.id);
    token = page.token;
    pages += 1;
  } while (token !== null);
  return { status: 200, pages, ids, verified };
}

(async () => {
  if (spec.walk) {
    process.stdout.write(JSON.stringify(await walk()) + '\n');
    return;
  }
  const options = { credentials, ext: spec.ext };
  if (spec.payload !== undefined) { options.payload = spec.payload; options.contentType = spec.contentType || 'application/json'; }
  if (spec.timestamp !== undefined) options.timestamp = spec.timestamp;
  if (spec.nonce !== undefined) options.nonce = spec.nonce;
  const { header, artifacts } = Hawk.client.header(spec.url, spec.method, options);
  let { res, body } = await send(header);
  if (spec.repeat) ({ res, body } = await send(header));
  const out = { status: res.statusCode, headers: res.headers, body };
  try {
    // Validates Server-Authorization (mac and, given the payload, its hash) and, on a 401 with
    // ts/tsm, the server's signed timestamp.
    await Hawk.client.authenticate(res, credentials, artifacts, { payload: body, required: res.statusCode < 300 });
    out.verified = true;
  } catch (err) {
    out.verified = false;
    out.error = err.message;
  }
  process.stdout.write(JSON.stringify(out) + '\n');
})().catch((err) => { process.stdout.write(JSON.stringify({ fatal: err.message }) + '\n'); process.exit(1); });
