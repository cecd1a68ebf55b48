// The real platform for the client's tests: the gateway at SYNC_URL, or at http://localhost:8083 when
// one answers there, or else a bin/sync-local started for the tests (and stopped after them).
import {spawn} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, dirname} from 'node:path';
import {fileURLToPath} from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

async function ready(url) {
  try {
    const response = await fetch(`${url}/actuator/health/readiness`);
    return (await response.text()).includes('"UP"');
  } catch {
    return false;
  }
}

export async function startPlatform() {
  const url = process.env.SYNC_URL ?? 'http://localhost:8083';
  if (await ready(url)) {
    return {url, stop: async () => {}};
  }
  if (process.env.SYNC_URL) {
    throw new Error(`no gateway answers at SYNC_URL=${url}`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'sync-js-'));
  const local = spawn(join(ROOT, 'bin', 'sync-local'), [], {env: {...process.env, SYNC_DATA_DIR: dataDir},
    stdio: ['ignore', 'pipe', 'inherit']});
  let output = '';
  local.stdout.on('data', (chunk) => { output += chunk; });
  const deadline = Date.now() + 600_000; // the first run builds the project
  while (!output.includes('ready in')) {
    if (local.exitCode !== null || Date.now() > deadline) {
      local.kill('SIGTERM');
      throw new Error(`bin/sync-local did not become ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    stop: () => new Promise((resolve) => {
      local.once('exit', resolve);
      local.kill('SIGTERM');
    }),
  };
}

/** A dev token for one device (bin/sync-local serves them). */
export async function mintToken(url, userId, deviceId) {
  const response = await fetch(`${url}/api/v1/dev/token`, {method: 'POST',
    headers: {'Content-Type': 'application/json'}, body: JSON.stringify({user_id: userId, device_id: deviceId})});
  if (!response.ok) {
    throw new Error(`dev token: ${response.status} ${await response.text()}`);
  }
  return (await response.json()).token;
}

/** Polls until the check passes (returns truthy) or the deadline passes. */
export async function until(check, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
