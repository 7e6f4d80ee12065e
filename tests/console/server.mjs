// Starts the real keyward binary for the browser test and talks to it over HTTPS.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';

export async function startServer(binary, config) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kw-console-'));
  const dataDir = path.join(dir, 'data');
  const configFile = path.join(dir, 'keyward.json');
  fs.writeFileSync(configFile, JSON.stringify(config || {}));
  const log = [];
  const proc = spawn(binary, ['serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0',
    '--config', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr.on('data', (d) => log.push(d.toString()));
  const port = await new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error('keyward did not start:\n' + log.join(''))), 30000);
    const poll = setInterval(() => {
      const m = /listening on https:\/\/127\.0\.0\.1:(\d+)/.exec(log.join(''));
      // It listens before its index is loaded; "; ready" ends the load.
      if (m && log.join('').includes('; ready') && fs.existsSync(path.join(dataDir, 'bootstrap-admin.key'))) {
        clearInterval(poll);
        clearTimeout(deadline);
        resolve(Number(m[1]));
      }
    }, 50);
    proc.on('exit', (code) => reject(new Error('keyward exited ' + code + ':\n' + log.join(''))));
  });
  const adminKey = fs.readFileSync(path.join(dataDir, 'bootstrap-admin.key'), 'utf8').trim();
  return {
    dir, dataDir, port, adminKey, base: 'https://127.0.0.1:' + port, log: () => log.join(''),
    // `keyward users set-password USER`, the password on standard input.
    setPassword(user, password) {
      const r = spawnSync(binary, ['users', 'set-password', user, '--data-dir', dataDir],
        { input: password + '\n', encoding: 'utf8' });
      if (r.status !== 0) throw new Error('set-password ' + user + ': ' + r.stderr);
    },
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((resolve) => proc.once('exit', resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// One HTTPS request to the server (its certificate is its own self-signed one).
export function request(base, method, target, { key, body, headers } = {}) {
  return new Promise((resolve, reject) => {
    const h = Object.assign({}, headers || {});
    if (key) h.Authorization = 'Bearer ' + key;
    const data = body === undefined ? null : JSON.stringify(body);
    if (data !== null) h['Content-Type'] = 'application/json';
    const req = https.request(base + target, { method, headers: h, rejectUnauthorized: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch (e) { json = null; }
        resolve({ status: res.statusCode, headers: res.headers, body: json, text });
      });
    });
    req.on('error', reject);
    if (data !== null) req.write(data);
    req.end();
  });
}
