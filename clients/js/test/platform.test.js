// The client against the real platform: gateway, Kafka, processor (bin/sync-local or SYNC_URL).
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {SyncClient, SyncError, fileStorage} from '../src/sync-client.js';
import {execFileSync} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startPlatform, mintToken, until} from './platform.js';

let platform;
const clients = [];

before(async () => {
  platform = await startPlatform();
}, {timeout: 660_000});

after(async () => {
  clients.forEach((c) => c.close());
  await platform?.stop();
});

/** A connected device of the user, whose snapshot has arrived; `sockets` collects its WebSockets. */
async function device(userId, deviceId, options = {}) {
  const sockets = [];
  class TrackedSocket extends WebSocket {
    constructor(url) {
      super(url);
      sockets.push(this);
    }
  }
  const client = new SyncClient({url: platform.url, deviceId, WebSocket: TrackedSocket,
    token: () => mintToken(platform.url, userId, deviceId), ...options});
  clients.push(client);
  const snapshot = new Promise((resolve) => client.addEventListener('snapshot', resolve, {once: true}));
  client.connect();
  await snapshot;
  client.sockets = sockets;
  return client;
}

async function rest(path, userId, deviceId = 'api') {
  const token = await mintToken(platform.url, userId, deviceId);
  const response = await fetch(`${platform.url}${path}`, {headers: {Authorization: `Bearer ${token}`}});
  assert.equal(response.status, 200, `${path}: ${response.status}`);
  return response.json();
}

const user = (name) => `js-${name}-${Date.now().toString(36)}`;

test('a change on one device reaches its sibling; each sees the other online', async () => {
  const alice = user('sibling');
  const tv = await device(alice, 'tv-1');
  const phone = await device(alice, 'phone-1');

  const ack = await tv.addToWatchlist('tmdb:550');

  assert.match(ack.timestamp, /^\d+:\d+$/);
  await until(() => phone.watchlist.get('tmdb:550'), 'the title on the phone');
  assert.deepEqual(phone.watchlist.get('tmdb:550').tags, tv.watchlist.get('tmdb:550')?.tags
    ?? await until(() => tv.watchlist.get('tmdb:550')?.tags, 'the title on the tv'));
  await until(() => tv.devices.get('phone-1')?.online, 'the phone online on the tv');
  await until(() => phone.devices.get('tv-1')?.online, 'the tv online on the phone');
});

test('a connection dropped in the middle of a burst loses no op and applies none twice', {timeout: 90_000}, async () => {
  const bob = user('burst');
  const tv = await device(bob, 'tv-1');
  const phone = await device(bob, 'phone-1');
  await phone.register({name: 'Phone', platform: 'phone', capabilities: ['playback']});
  const commands = [];
  phone.addEventListener('command', (e) => commands.push(e.detail.command_id));
  const ops = [];
  for (let i = 1; i <= 60; i++) {
    ops.push(tv.addToWatchlist(`tmdb:${i}`));
    if (i % 2 === 0) {
      ops.push(tv.reportProgress('tmdb:1', {positionSeconds: i * 10, durationSeconds: 5000, state: 'playing'}));
      // a command is not idempotent: one applied twice would reach the phone twice, under two ids
      ops.push(tv.sendCommand('phone-1', 'seek', {contentId: 'tmdb:1', positionSeconds: i}));
    }
    if (i === 25) {
      tv.sockets.at(-1).close(4000, 'the network dropped'); // sent but unacked ops are in flight now
    }
  }

  const acks = await Promise.all(ops);

  assert.equal(acks.length, 120);
  assert.equal(new Set(acks.map((a) => a.op_id)).size, 120);
  assert.ok(tv.sockets.length >= 2, 'the client reconnected');
  const watchlist = await until(async () => {
    const page = await rest('/api/v1/sync/watchlist?limit=1000', bob);
    return page.items.length === 60 && page;
  }, '60 titles in the watchlist');
  assert.deepEqual(watchlist.items.map((item) => item.content_id).sort(),
    Array.from({length: 60}, (_, i) => `tmdb:${i + 1}`).sort());
  await until(async () => (await rest('/api/v1/sync/progress/tmdb:1', bob)).position_seconds === 600,
    'the last progress to win');
  await until(() => phone.watchlist.size === 60, 'the sibling to see 60 titles');
  await until(() => commands.length >= 30, '30 commands on the phone');
  assert.equal(commands.length, 30, `commands received: ${commands.length}`);
  assert.equal(tv.pending, 0);
});

test('a refused op rejects with a typed error and changes nothing; a refusal after the ack is an event', async () => {
  const carol = user('refused');
  const tv = await device(carol, 'tv-1');
  const errors = [];
  tv.addEventListener('error', (e) => errors.push(e.detail));

  await assert.rejects(tv.addToWatchlist('not a content id!'),
    (e) => e instanceof SyncError && e.code === 'bad_request' && /content_id/.test(e.message));
  await tv.sendCommand('no-such-device', 'play', {contentId: 'tmdb:550'});

  await until(() => errors.find((e) => e.code === 'unknown_device'), 'the unknown_device refusal');
  assert.equal(tv.watchlist.size, 0);
  assert.equal(tv.pending, 0);
});

test('a handoff plays on the target at the resume position', async () => {
  const dan = user('handoff');
  const phone = await device(dan, 'phone-1');
  const tv = await device(dan, 'tv-1');
  await tv.register({name: 'Living room', platform: 'tv', capabilities: ['playback']});
  await phone.reportProgress('tmdb:603', {positionSeconds: 1200, durationSeconds: 8000, state: 'paused'});
  await until(() => phone.progress.get('tmdb:603'), 'the progress on the phone');
  const commands = [];
  tv.addEventListener('command', (e) => commands.push(e.detail));

  await phone.handoff('tv-1', 'tmdb:603');

  const play = await until(() => commands.find((c) => c.command === 'play'), 'play on the tv');
  assert.equal(play.content_id, 'tmdb:603');
  assert.equal(play.from_device_id, 'phone-1');
  assert.ok(play.position_seconds > 1100 && play.position_seconds <= 1200, `resume at ${play.position_seconds}`);
});

test('the token is refreshed on the open connection before it expires', async () => {
  const erin = user('refresh');
  // dev tokens live 12 h: ask for the refresh almost at once
  const tv = await device(erin, 'tv-1', {refreshBeforeMs: 12 * 3600_000 - 1_500});
  const refreshes = [];
  tv.addEventListener('token', (e) => refreshes.push(e.detail));
  const refreshed = await until(() => refreshes[0], 'token_refreshed');
  assert.ok(refreshed.expires_at > Date.now());
  assert.equal(tv.sockets.length, 1, 'the same connection');
});

test('edits made offline survive a restart of the process and are applied once', async () => {
  const alice = user('offline');
  const directory = join(mkdtempSync(join(tmpdir(), 'sync-js-offline-')), 'tv-1');
  // another Node process makes the edits without ever connecting, and exits
  const script = `import {SyncClient, fileStorage} from ${JSON.stringify(new URL('../src/sync-client.js', import.meta.url).href)};
    const tv = new SyncClient({url: 'http://unused:1', deviceId: 'tv-1', token: 'unused', WebSocket: class {},
      storage: fileStorage(${JSON.stringify(directory)})});
    await tv.ready();
    for (const title of ['tmdb:1', 'tmdb:2', 'tmdb:3']) tv.addToWatchlist(title).catch(() => {});
    tv.reportProgress('tmdb:9', {positionSeconds: 600, durationSeconds: 8217, state: 'paused'}).catch(() => {});
    while (JSON.parse(await fileStorage(${JSON.stringify(directory)}).load('outbox') ?? '{"ops":[]}').ops.length < 4) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }`;
  execFileSync(process.execPath, ['--input-type=module', '-e', script]);
  const kept = JSON.parse(await fileStorage(directory).load('outbox')).ops.map((op) => op.op_id);
  assert.equal(kept.length, 4);

  const acks = new Map();
  const tv = new SyncClient({url: platform.url, deviceId: 'tv-1', token: () => mintToken(platform.url, alice, 'tv-1'),
    storage: fileStorage(directory)});
  clients.push(tv);
  tv.addEventListener('ack', (e) => acks.set(e.detail.op_id, (acks.get(e.detail.op_id) ?? 0) + 1));
  tv.connect();
  const phone = await device(alice, 'phone-1');

  await until(() => tv.pending === 0, 'every kept op acked');
  await until(() => phone.watchlist.size === 3 && phone.progress.get('tmdb:9'), 'the edits on the phone');
  assert.deepEqual([...acks.keys()].sort(), [...kept].sort());
  assert.ok([...acks.values()].every((count) => count === 1), 'each op acked once');
  assert.equal(phone.progress.get('tmdb:9').position_seconds, 600);
  for (const title of phone.watchlist.values()) {
    assert.equal(title.tags.length, 1, `${title.content_id} added once`);
  }
});

test('a user who erases their account: every device gets user_erased, stops for good and keeps nothing', async () => {
  const erin = user('erase');
  const dir = mkdtempSync(join(tmpdir(), 'sync-erase-'));
  const tv = await device(erin, 'tv-1', {storage: fileStorage(dir)});
  const phone = await device(erin, 'phone-1');
  await tv.addToWatchlist('tmdb:550');
  await until(() => phone.watchlist.get('tmdb:550'), 'the title on the phone');
  const errors = [];
  tv.addEventListener('error', (e) => errors.push(e.detail.code));

  const token = await mintToken(platform.url, erin, 'api');
  const unconfirmed = await fetch(`${platform.url}/api/v1/users/me`, {method: 'DELETE',
    headers: {Authorization: `Bearer ${token}`}});
  assert.equal(unconfirmed.status, 400, 'an erase needs ?confirm=<user id>');
  const erased = await fetch(`${platform.url}/api/v1/users/me?confirm=${encodeURIComponent(erin)}`, {method: 'DELETE',
    headers: {Authorization: `Bearer ${token}`}});
  assert.equal(erased.status, 202);

  await until(() => errors.includes('user_erased'), 'user_erased on the tv');
  await until(() => phone.status === 'closed' && tv.status === 'closed', 'both devices closed');
  assert.equal(tv.watchlist.size, 0);
  assert.equal(phone.watchlist.size, 0);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  assert.equal(tv.status, 'closed', 'no reconnect');
  const kept = await fileStorage(dir).load('state');
  assert.ok(!kept || !kept.includes('tmdb:550'), `nothing kept: ${kept}`);
});
