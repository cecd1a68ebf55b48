// The client's own rules, with a stand-in socket and mocked timers.
import {test, beforeEach, mock} from 'node:test';
import assert from 'node:assert/strict';
import {HybridClock, SyncClient, SyncError, jwtClaims, memoryStorage, fileStorage} from '../src/sync-client.js';
import {FakeSocket} from './fake-socket.js';

const TOKEN = `x.${btoa(JSON.stringify({sub: 'alice', device_id: 'tv-1'}))}.y`;

function client(options = {}) {
  return new SyncClient({url: 'http://gateway:8083', deviceId: 'tv-1', token: TOKEN, WebSocket: FakeSocket,
    random: () => 1, ...options});
}

function snapshot(version, watchlist = []) {
  return {type: 'snapshot', timestamp: '1000:0', version, watchlist, progress: [], devices: []};
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => {
  FakeSocket.opened.length = 0;
});

test('the clock never goes back and moves past what it observes', () => {
  const clock = new HybridClock(() => 5000);
  const stamps = [clock.now(), clock.now(), clock.now()];
  assert.deepEqual(stamps, ['5000:0', '5000:1', '5000:2']);
  clock.observe('9000:7');
  assert.equal(clock.now(), '9000:8');
  clock.observe('10:0');
  assert.equal(clock.now(), '9000:9');
  assert.ok(HybridClock.compare('9000:9', '9000:10') < 0);
});

test('connects as its device with the token, and knows its user', async () => {
  const c = client().connect();
  await settle();
  assert.equal(FakeSocket.last().url, `ws://gateway:8083/ws?device_id=tv-1&access_token=${encodeURIComponent(TOKEN)}`);
  assert.equal(c.userId, 'alice');
  assert.deepEqual(jwtClaims(TOKEN), {sub: 'alice', device_id: 'tv-1'});
});

test('events after the snapshot merge by version: no step back, no repeat', async () => {
  const c = client().connect();
  await settle();
  FakeSocket.last().open();
  const changes = [];
  c.addEventListener('change', (e) => changes.push(`${e.detail.id}@${e.detail.version}`));
  FakeSocket.last().receive(snapshot(10, [{content_id: 'tmdb:1', added_at: '900:0', tags: ['phone/a']}]));

  const socket = FakeSocket.last();
  socket.receive({type: 'watchlist_state', content_id: 'tmdb:1', in_watchlist: false, tags: [], timestamp: '950:0', version: 9});
  socket.receive({type: 'watchlist_state', content_id: 'tmdb:2', in_watchlist: true, tags: ['tv/b'], added_at: '1100:0', timestamp: '1100:0', version: 12});
  socket.receive({type: 'watchlist_state', content_id: 'tmdb:2', in_watchlist: true, tags: ['tv/b'], added_at: '1100:0', timestamp: '1100:0', version: 12});
  socket.receive({type: 'watchlist_state', content_id: 'tmdb:2', in_watchlist: false, tags: [], timestamp: '1050:0', version: 11});
  socket.receive({type: 'watchlist_state', content_id: 'tmdb:1', in_watchlist: false, tags: [], timestamp: '1200:0', version: 13});

  assert.deepEqual(changes, ['tmdb:2@12', 'tmdb:1@13']);
  assert.deepEqual([...c.watchlist.keys()], ['tmdb:2']);
});

test('unacked ops are resent after a reconnect with their op id and timestamp; acked ones are not', async () => {
  mock.timers.enable({apis: ['setTimeout']});
  try {
    const c = client().connect();
    await settle();
    const first = c.addToWatchlist('tmdb:1');
    const second = c.reportProgress('tmdb:1', {positionSeconds: 10, durationSeconds: 100});
    FakeSocket.last().open();
    const sent = FakeSocket.last().sent;
    assert.deepEqual(sent.map((f) => f.type), ['watchlist_update', 'progress_update']);
    FakeSocket.last().receive({type: 'ack', op_id: sent[0].op_id, timestamp: sent[0].timestamp});
    assert.deepEqual(await first, {op_id: sent[0].op_id, timestamp: sent[0].timestamp});

    FakeSocket.last().drop();
    assert.equal(c.status, 'closed');
    mock.timers.tick(250);
    await settle();
    assert.equal(FakeSocket.opened.length, 2);
    FakeSocket.last().open();
    assert.deepEqual(FakeSocket.last().sent, [sent[1]]);
    FakeSocket.last().receive({type: 'ack', op_id: sent[1].op_id, timestamp: sent[1].timestamp});
    await second;
    assert.equal(c.pending, 0);
  } finally {
    mock.timers.reset();
  }
});

test('a refused op rejects with a typed error; an unavailable one is kept and sent again', async () => {
  mock.timers.enable({apis: ['setTimeout']});
  try {
    const c = client().connect();
    await settle();
    FakeSocket.last().open();
    const bad = c.addToWatchlist('not a content id!');
    const busy = c.addToWatchlist('tmdb:2');
    const [badFrame, busyFrame] = FakeSocket.last().sent;
    FakeSocket.last().receive({type: 'error', op_id: badFrame.op_id, code: 'bad_request', message: 'content_id is invalid'});
    await assert.rejects(bad, (e) => e instanceof SyncError && e.code === 'bad_request' && !e.retryable
      && e.opId === badFrame.op_id);

    FakeSocket.last().receive({type: 'error', op_id: busyFrame.op_id, code: 'unavailable', message: 'try again'});
    assert.equal(c.pending, 1);
    mock.timers.tick(1000);
    assert.deepEqual(FakeSocket.last().sent.at(-1), busyFrame);
  } finally {
    mock.timers.reset();
  }
});

test('a full outbox refuses new ops at once', async () => {
  const c = client({maxPending: 1});
  c.addToWatchlist('tmdb:1');
  await assert.rejects(c.addToWatchlist('tmdb:2'), (e) => e.code === 'outbox_full');
});

test('back-off doubles up to its cap and starts again after a snapshot', async () => {
  mock.timers.enable({apis: ['setTimeout']});
  try {
    const c = client({reconnect: {initialDelayMs: 100, maxDelayMs: 350}}).connect();
    await settle();
    const delays = [];
    for (let i = 0; i < 4; i++) {
      FakeSocket.last().drop();
      let waited = 0;
      const before = FakeSocket.opened.length;
      while (FakeSocket.opened.length === before) {
        mock.timers.tick(10);
        waited += 10;
        await settle();
      }
      delays.push(waited);
    }
    assert.deepEqual(delays, [100, 200, 350, 350]);
    FakeSocket.last().open();
    FakeSocket.last().receive(snapshot(1));
    FakeSocket.last().drop();
    mock.timers.tick(100);
    await settle();
    assert.equal(FakeSocket.opened.length, 6);
    c.close();
  } finally {
    mock.timers.reset();
  }
});

test('expired and repeated commands are dropped, live ones delivered once', async () => {
  const c = client({now: () => 10_000}).connect();
  await settle();
  FakeSocket.last().open();
  const commands = [];
  c.addEventListener('command', (e) => commands.push(e.detail.command_id));
  FakeSocket.last().receive({type: 'device_command', command_id: 'old', from_device_id: 'phone', command: 'play', expires_at: 9_999});
  FakeSocket.last().receive({type: 'device_command', command_id: 'new', from_device_id: 'phone', command: 'play', expires_at: 10_500});
  FakeSocket.last().receive({type: 'device_command', command_id: 'new', from_device_id: 'phone', command: 'play', expires_at: 10_500});
  assert.deepEqual(commands, ['new']);
});

test('an expired fixed token stops the reconnects with an unauthorized error', async () => {
  mock.timers.enable({apis: ['setTimeout']});
  try {
    const c = client().connect();
    await settle();
    FakeSocket.last().open();
    const errors = [];
    c.addEventListener('error', (e) => errors.push(e.detail.code));
    FakeSocket.last().drop(4401);
    mock.timers.tick(60_000);
    await settle();
    assert.deepEqual(errors, ['unauthorized']);
    assert.equal(FakeSocket.opened.length, 1);
    assert.equal(c.status, 'closed');
  } finally {
    mock.timers.reset();
  }
});

test('a token function is asked again for every connect', async () => {
  mock.timers.enable({apis: ['setTimeout']});
  try {
    let calls = 0;
    const c = client({token: async () => { calls += 1; return TOKEN; }}).connect();
    await settle();
    FakeSocket.last().open();
    FakeSocket.last().drop(4401);
    mock.timers.tick(250);
    await settle();
    assert.equal(calls, 2);
    assert.equal(FakeSocket.opened.length, 2);
    c.close();
  } finally {
    mock.timers.reset();
  }
});

test('with storage, an op is kept before it is sent, and a new client sends it and reports its ack', async () => {
  const storage = memoryStorage();
  const first = client({storage});
  await first.ready();
  const lost = first.addToWatchlist('tmdb:7'); // never connected: only the storage has it now
  lost.catch(() => {});
  await settle();
  const kept = JSON.parse(await storage.load('outbox'));
  assert.deepEqual(kept.ops.map((f) => f.content_id), ['tmdb:7']);
  first.close();

  const second = client({storage});
  const acks = [];
  second.addEventListener('ack', (e) => acks.push(e.detail.op_id));
  await second.ready();
  assert.equal(second.pending, 1);
  second.connect();
  await settle();
  FakeSocket.last().open();
  const [resent] = FakeSocket.last().sent;
  assert.deepEqual(resent, kept.ops[0]); // the same op id and timestamp
  FakeSocket.last().receive({type: 'ack', op_id: resent.op_id, timestamp: resent.timestamp});
  await settle();
  assert.deepEqual(acks, [resent.op_id]);
  assert.equal(second.pending, 0);
  assert.deepEqual(JSON.parse(await storage.load('outbox')).ops, []);
});

test('an op made while a save is under way is sent only once it is kept', async () => {
  let release;
  const slow = {load: async () => null, save: () => new Promise((resolve) => { release = resolve; })};
  const c = client({storage: slow}).connect();
  await settle();
  FakeSocket.last().open();
  c.addToWatchlist('tmdb:1');
  await settle();
  assert.deepEqual(FakeSocket.last().sent, []);
  release();
  await settle();
  assert.deepEqual(FakeSocket.last().sent.map((f) => f.content_id), ['tmdb:1']);
});

test('the file storage keeps whole documents across instances', async () => {
  const {mkdtemp, readdir} = await import('node:fs/promises');
  const {tmpdir} = await import('node:os');
  const {join} = await import('node:path');
  const directory = join(await mkdtemp(join(tmpdir(), 'sync-js-storage-')), 'tv');
  assert.equal(await fileStorage(directory).load('outbox'), null);
  await fileStorage(directory).save('outbox', '{"ops":[1]}');
  await fileStorage(directory).save('outbox', '{"ops":[1,2]}');
  assert.equal(await fileStorage(directory).load('outbox'), '{"ops":[1,2]}');
  assert.deepEqual(await readdir(directory), ['outbox.json']);
});
