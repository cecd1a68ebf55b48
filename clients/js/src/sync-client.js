// A client for the media-sync protocol (docs/protocol.md), for browsers and Node (22+, or 20 with
// --experimental-websocket). No dependencies. What it does for you:
//   - connects with a token (a string, or an async function called for every connect and refresh),
//   - keeps the user's state: the snapshot first, then every event merged by version (an event older
//     than what is shown is dropped, a repeat changes nothing),
//   - reconnects after any drop with exponential back-off and full jitter,
//   - keeps every op in an outbox until its ack, and resends it with the same op_id and timestamp after
//     a reconnect (the server applies an op id once), so nothing is lost or doubled,
//   - stamps ops with a hybrid logical clock (offline edits keep the time the user acted),
//   - rejects an op's promise with a typed SyncError, and refreshes the token before it expires,
//   - with a storage adapter, keeps the outbox and the last state shown across restarts of the page or
//     the process: an edit made offline is saved before it is sent, and sent by the next client.

/** Error codes of the contract (docs/protocol.md), plus the client's own `outbox_full`, `closed` and `storage`. */
export const ERROR_CODES = Object.freeze(['bad_request', 'too_large', 'unauthorized', 'forbidden',
  'rate_limited', 'clock_skew', 'stale', 'unknown_device', 'device_offline', 'unavailable', 'limit_exceeded',
  'unsupported_command', 'internal', 'outbox_full', 'closed', 'storage']);

/** Codes after which the same op may succeed later: it stays in the outbox and is sent again. */
const RETRYABLE = new Set(['unavailable', 'rate_limited']);

/** Close codes after which reconnecting cannot help until something changes. */
const TOKEN_EXPIRED = 4401;
/** The user was erased: nothing of theirs is kept anywhere, nor here. */
const USER_ERASED = 4410;

export class SyncError extends Error {
  /**
   * @param {string} code one of ERROR_CODES
   * @param {string} message the server's explanation
   * @param {string} [opId] the op it refers to
   */
  constructor(code, message, opId) {
    super(message);
    this.name = 'SyncError';
    this.code = code;
    this.opId = opId;
  }

  get retryable() {
    return RETRYABLE.has(this.code);
  }
}

/** Hybrid logical clock timestamps, "<physical_ms>:<logical>" (docs/protocol.md, Timestamps). */
export class HybridClock {
  #physical = 0;
  #logical = 0;
  #now;

  constructor(now = Date.now) {
    this.#now = now;
  }

  /** A timestamp after every one this clock made or observed. */
  now() {
    const wall = Math.floor(this.#now());
    if (wall > this.#physical) {
      this.#physical = wall;
      this.#logical = 0;
    } else if (this.#logical < 65535) {
      this.#logical += 1;
    } else {
      this.#physical += 1;
      this.#logical = 0;
    }
    return `${this.#physical}:${this.#logical}`;
  }

  /** Moves the clock past a timestamp seen from the server (an ack, another device's event). */
  observe(timestamp) {
    const parsed = HybridClock.parse(timestamp);
    if (parsed && (parsed[0] > this.#physical || (parsed[0] === this.#physical && parsed[1] > this.#logical))) {
      [this.#physical, this.#logical] = parsed;
    }
  }

  static parse(timestamp) {
    const match = typeof timestamp === 'string' && /^(\d{1,15}):(\d{1,5})$/.exec(timestamp);
    return match ? [Number(match[1]), Number(match[2])] : null;
  }

  /** Orders two timestamps: negative, zero or positive. */
  static compare(a, b) {
    const [pa, la] = HybridClock.parse(a) ?? [0, 0];
    const [pb, lb] = HybridClock.parse(b) ?? [0, 0];
    return pa - pb || la - lb;
  }
}

const KINDS = Object.freeze({
  watchlist_state: 'watchlist', progress_state: 'progress', progress_removed: 'progress',
  device_state: 'devices', device_removed: 'devices',
});

/**
 * Events (EventTarget; `event.detail` holds the data):
 *   status   {status: 'connecting'|'open'|'closed', code?, reason?}
 *   snapshot {version}                  the state was replaced by a fresh snapshot
 *   change   {kind: 'watchlist'|'progress'|'devices', id, value (null when removed), version}
 *   command  the device_command frame addressed to this device (expired and repeated ones are dropped)
 *   error    a SyncError that no pending op owns (a refusal after its ack, a closed connection's reason)
 *   token    {expires_at} after a token refresh was accepted
 *   ack      {op_id, timestamp} for every acked op, also those made before a restart (no promise waits for them)
 *   frame    {direction: 'in'|'out', frame} every frame, for logs and consoles
 */
export class SyncClient extends EventTarget {
  #url;
  #deviceId;
  #token;
  #WebSocket;
  #reconnect;
  #random;
  #now;
  #maxPending;
  #refreshBeforeMs;
  #clock;
  #storage;
  /** Settles once what the storage held is loaded; connect() and the ops wait for it. */
  #restored;
  /** Saves run one after the other, each writing the latest document. */
  #saving = Promise.resolve();

  #socket = null;
  #status = 'idle';
  #wanted = false;
  #attempt = 0;
  #reconnectTimer = null;
  #refreshTimer = null;
  #resendTimers = new Set();
  /** op_id → {frame, resolve, reject, saved}, in the order the ops were made. */
  #outbox = new Map();
  #watchlist = new Map();
  #progress = new Map();
  #devices = new Map();
  /** `${kind}/${id}` → version of what is shown; the snapshot's version stands for the rest. */
  #versions = new Map();
  #snapshotVersion = -1;
  #userId = null;
  /** The last 1,000 command ids delivered, oldest first. */
  #commandIds = new Set();

  /**
   * @param {object} options
   * @param {string} options.url the gateway, e.g. "http://localhost:8083" (ws:// and wss:// too)
   * @param {string} options.deviceId this device's id (the token must be for it)
   * @param {string|function(): Promise<string>} options.token a JWT, or a function that returns a fresh one
   * @param {typeof WebSocket} [options.WebSocket] the WebSocket class (default: the global one)
   * @param {{initialDelayMs?: number, maxDelayMs?: number}} [options.reconnect] back-off bounds
   * @param {number} [options.maxPending] ops the outbox holds before new ones fail with `outbox_full`
   * @param {number} [options.refreshBeforeMs] how long before the token expires it is refreshed
   * @param {{load(name: string): any, save(name: string, document: string): any}} [options.storage] where
   *   the outbox and the state are kept across restarts (indexedDbStorage(), fileStorage(dir),
   *   memoryStorage()); none: in memory only
   */
  constructor({url, deviceId, token, WebSocket: Impl = globalThis.WebSocket, reconnect = {},
    maxPending = 1000, refreshBeforeMs = 60_000, random = Math.random, now = Date.now, storage = null}) {
    super();
    if (!url || !deviceId || !token) {
      throw new TypeError('url, deviceId and token are required');
    }
    if (typeof Impl !== 'function') {
      throw new TypeError('no WebSocket class: pass options.WebSocket (Node 20: run with --experimental-websocket)');
    }
    this.#url = url.replace(/^http/, 'ws').replace(/\/+$/, '');
    this.#deviceId = deviceId;
    this.#token = token;
    this.#WebSocket = Impl;
    this.#reconnect = {initialDelayMs: 250, maxDelayMs: 15_000, ...reconnect};
    this.#maxPending = maxPending;
    this.#refreshBeforeMs = refreshBeforeMs;
    this.#random = random;
    this.#now = now;
    this.#clock = new HybridClock(now);
    this.#storage = storage;
    this.#restored = storage ? this.#restore() : Promise.resolve();
  }

  get deviceId() { return this.#deviceId; }
  /** The user the token is for (its `sub`), once connected. */
  get userId() { return this.#userId; }
  get status() { return this.#status; }
  /** Between connect() and close(): the client connects, or will reconnect after a drop. */
  get running() { return this.#wanted; }
  /** Ops sent or waiting to be sent, without an ack yet. */
  get pending() { return this.#outbox.size; }
  /** content_id → {content_id, added_at, tags} */
  get watchlist() { return this.#watchlist; }
  /** content_id → progress_state */
  get progress() { return this.#progress; }
  /** device_id → device_state (this device and its siblings) */
  get devices() { return this.#devices; }

  /** Connects, and keeps reconnecting after every drop until close(). */
  connect() {
    this.#wanted = true;
    this.#restored.then(() => {
      if (this.#wanted && !this.#socket && !this.#reconnectTimer && this.#status !== 'connecting') {
        this.#open();
      }
    });
    return this;
  }

  /** Settles once the outbox and state kept by the storage adapter are loaded. */
  ready() {
    return this.#restored;
  }

  /** Closes for good; ops without an ack stay in the outbox for the next connect(). */
  close() {
    this.#wanted = false;
    this.#saveState();
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    this.#stopTimers();
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      socket.close(1000, 'closed by the client');
    }
    this.#setStatus('closed', {code: 1000, reason: 'closed by the client'});
  }

  // ---- ops: each resolves with the ack ({op_id, timestamp}) or rejects with a SyncError ----

  addToWatchlist(contentId) {
    return this.#op({type: 'watchlist_update', operation: 'add', content_id: contentId});
  }

  /** Removes the title as this device sees it: the tags it observed (an add it has not seen wins). */
  removeFromWatchlist(contentId) {
    const observed = this.#watchlist.get(contentId)?.tags ?? [];
    return this.#op({type: 'watchlist_update', operation: 'remove', content_id: contentId, observed_tags: observed});
  }

  reportProgress(contentId, {positionSeconds, durationSeconds, state = 'playing'}) {
    return this.#op({type: 'progress_update', content_id: contentId, position_seconds: positionSeconds,
      duration_seconds: durationSeconds, state});
  }

  removeProgress(contentId) {
    return this.#op({type: 'progress_remove', content_id: contentId});
  }

  register({name, platform, capabilities = []}) {
    return this.#op({type: 'device_register', name, platform, capabilities});
  }

  sendCommand(targetDeviceId, command, {contentId, positionSeconds} = {}) {
    return this.#op({type: 'device_command', target_device_id: targetDeviceId, command,
      ...(contentId === undefined ? {} : {content_id: contentId}),
      ...(positionSeconds === undefined ? {} : {position_seconds: positionSeconds})});
  }

  handoff(targetDeviceId, contentId) {
    return this.#op({type: 'device_handoff', target_device_id: targetDeviceId, content_id: contentId});
  }

  removeDevice(targetDeviceId) {
    return this.#op({type: 'device_remove', target_device_id: targetDeviceId});
  }

  // ---- internals ----

  #op(body) {
    if (this.#outbox.size >= this.#maxPending) {
      return Promise.reject(new SyncError('outbox_full', `${this.#maxPending} ops are waiting for their ack`));
    }
    const opId = newOpId();
    const frame = {...body, op_id: opId, timestamp: this.#clock.now()};
    return new Promise((resolve, reject) => {
      const entry = {frame, resolve, reject, saved: !this.#storage};
      this.#outbox.set(opId, entry);
      if (entry.saved) {
        if (this.#status === 'open') {
          this.#transmit(frame);
        }
        return;
      }
      // kept before it is sent: an edit the app made is never only in memory once on the wire
      this.#saveOutbox().then(() => {
        entry.saved = true;
        if (this.#outbox.has(opId) && this.#status === 'open') {
          this.#transmit(frame);
        }
      }, (e) => {
        this.#outbox.delete(opId);
        reject(new SyncError('storage', `the op could not be kept: ${e?.message ?? e}`, opId));
      });
    });
  }

  async #open() {
    this.#setStatus('connecting');
    let token;
    try {
      token = await this.#currentToken();
    } catch (e) {
      this.#emit('error', new SyncError('unauthorized', `the token provider failed: ${e.message ?? e}`));
      this.#scheduleReconnect();
      return;
    }
    if (!this.#wanted) {
      return;
    }
    this.#userId = jwtClaims(token)?.sub ?? null;
    const socket = new this.#WebSocket(`${this.#url}/ws?device_id=${encodeURIComponent(this.#deviceId)}`
      + `&access_token=${encodeURIComponent(token)}`);
    this.#socket = socket;
    socket.onopen = () => {
      if (this.#socket !== socket) {
        return;
      }
      this.#setStatus('open');
      // every op without an ack, in order, with its op_id and timestamp: applied once whatever happened
      for (const {frame, saved} of this.#outbox.values()) {
        if (saved) {
          this.#transmit(frame);
        }
      }
      this.#scheduleRefresh(token);
    };
    socket.onmessage = (message) => {
      if (this.#socket === socket) {
        this.#receive(message.data);
      }
    };
    socket.onclose = (event) => {
      if (this.#socket !== socket) {
        return;
      }
      this.#socket = null;
      this.#stopTimers();
      this.#setStatus('closed', {code: event.code, reason: event.reason});
      if (event.code === USER_ERASED) {
        this.#forgetEverything();
        return;
      }
      if (event.code === TOKEN_EXPIRED && typeof this.#token !== 'function') {
        this.#wanted = false; // a fixed token will not get younger
        this.#emit('error', new SyncError('unauthorized', 'the token expired; pass a token function to stay connected'));
        return;
      }
      this.#scheduleReconnect();
    };
    socket.onerror = () => {}; // a close event follows, with what can be known
  }

  #receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return; // the server sends JSON only; nothing else can be acted on
    }
    this.#emit('frame', {direction: 'in', frame});
    switch (frame.type) {
      case 'snapshot':
        return this.#applySnapshot(frame);
      case 'ack':
        return this.#acked(frame);
      case 'error':
        return this.#refused(frame);
      case 'device_command':
        if (Number(frame.expires_at) >= this.#now() && this.#firstSight(frame.command_id)) {
          this.#emit('command', frame);
        }
        return undefined;
      case 'token_refreshed':
        return this.#emit('token', {expires_at: frame.expires_at});
      default:
        if (KINDS[frame.type]) {
          this.#applyEvent(frame);
        }
        return undefined;
    }
  }

  /** False for a command delivered before (an at-least-once repeat): a device must not play twice. */
  #firstSight(commandId) {
    if (this.#commandIds.has(commandId)) {
      return false;
    }
    this.#commandIds.add(commandId);
    if (this.#commandIds.size > 1000) {
      this.#commandIds.delete(this.#commandIds.values().next().value);
    }
    return true;
  }

  #applySnapshot(snapshot) {
    this.#attempt = 0;
    this.#snapshotVersion = typeof snapshot.version === 'number' ? snapshot.version : -1;
    this.#versions.clear();
    this.#watchlist = new Map(snapshot.watchlist.map((item) => [item.content_id, item]));
    this.#progress = new Map(snapshot.progress.map((item) => [item.content_id, item]));
    this.#devices = new Map(snapshot.devices.map((item) => [item.device_id, item]));
    this.#clock.observe(snapshot.timestamp);
    this.#saveState();
    this.#emit('snapshot', {version: this.#snapshotVersion});
  }

  #applyEvent(event) {
    const kind = KINDS[event.type];
    const id = kind === 'devices' ? event.device_id : event.content_id;
    const key = `${kind}/${id}`;
    const version = typeof event.version === 'number' ? event.version : -1;
    const shown = this.#versions.get(key) ?? this.#snapshotVersion;
    if (version >= 0 && shown >= 0 && version <= shown) {
      return; // already shown (the snapshot or an earlier copy): a repeat, or older than what is shown
    }
    if (version >= 0) {
      this.#versions.set(key, version);
    }
    const map = kind === 'watchlist' ? this.#watchlist : kind === 'progress' ? this.#progress : this.#devices;
    let value = null;
    if (event.type === 'watchlist_state') {
      if (event.in_watchlist) {
        value = {content_id: id, added_at: event.added_at, tags: event.tags};
      }
    } else if (event.type === 'progress_state' || event.type === 'device_state') {
      value = event;
    }
    if (value) {
      map.set(id, value);
    } else {
      map.delete(id);
    }
    this.#clock.observe(event.timestamp);
    this.#emit('change', {kind, id, value, version});
  }

  #acked(ack) {
    this.#clock.observe(ack.timestamp);
    const entry = this.#outbox.get(ack.op_id);
    if (entry) {
      this.#outbox.delete(ack.op_id);
      this.#saveOutbox().catch((e) => this.#storageFailed(e));
      entry.resolve({op_id: ack.op_id, timestamp: ack.timestamp});
      this.#emit('ack', {op_id: ack.op_id, timestamp: ack.timestamp});
    }
  }

  #refused(frame) {
    const error = new SyncError(frame.code, frame.message, frame.op_id);
    const entry = frame.op_id === undefined ? undefined : this.#outbox.get(frame.op_id);
    if (!entry) {
      this.#emit('error', error); // no op waits for it: a refusal after the ack, or about the connection
      return;
    }
    if (error.retryable) {
      // the same op, later: the outbox keeps it, and a reconnect would send it too
      const timer = setTimeout(() => {
        this.#resendTimers.delete(timer);
        if (this.#outbox.has(frame.op_id) && this.#status === 'open') {
          this.#transmit(entry.frame);
        }
      }, this.#backoff(2));
      this.#resendTimers.add(timer);
      return;
    }
    this.#outbox.delete(frame.op_id);
    this.#saveOutbox().catch((e) => this.#storageFailed(e));
    entry.reject(error);
    if (entry.restored) {
      this.#emit('error', error); // made before a restart: no promise waits for it
    }
  }

  /** The user was erased: no reconnect, unsent ops fail with user_erased, nothing kept in storage. */
  #forgetEverything() {
    this.#wanted = false;
    const erased = new SyncError('user_erased', 'this user was erased; nothing of theirs is kept');
    for (const entry of this.#outbox.values()) {
      entry.reject(erased);
    }
    this.#outbox.clear();
    this.#watchlist.clear();
    this.#progress.clear();
    this.#devices.clear();
    this.#saveOutbox().catch((e) => this.#storageFailed(e));
    this.#saveState();
    this.#emit('error', erased);
  }

  // ---- storage ----

  async #restore() {
    const outbox = await this.#storage.load('outbox');
    if (outbox) {
      const {clock, ops = []} = JSON.parse(outbox);
      this.#clock.observe(clock);
      const restored = ops.map((frame) => [frame.op_id, {frame, resolve() {}, reject() {}, saved: true, restored: true}]);
      this.#outbox = new Map([...restored, ...this.#outbox]); // made before the restart: first
    }
    const state = await this.#storage.load('state');
    if (state && this.#snapshotVersion < 0) {
      const {version = -1, watchlist = [], progress = [], devices = []} = JSON.parse(state);
      this.#snapshotVersion = version;
      this.#watchlist = new Map(watchlist.map((item) => [item.content_id, item]));
      this.#progress = new Map(progress.map((item) => [item.content_id, item]));
      this.#devices = new Map(devices.map((item) => [item.device_id, item]));
    }
  }

  #saveOutbox() {
    if (!this.#storage) {
      return Promise.resolve();
    }
    this.#saving = this.#saving.catch(() => {}).then(() => this.#storage.save('outbox', JSON.stringify({
      clock: this.#clock.now(), ops: [...this.#outbox.values()].map(({frame}) => frame)})));
    return this.#saving;
  }

  #saveState() {
    if (!this.#storage) {
      return;
    }
    const versions = [...this.#versions.values()];
    const document = JSON.stringify({version: Math.min(this.#snapshotVersion, ...versions),
      watchlist: [...this.#watchlist.values()], progress: [...this.#progress.values()],
      devices: [...this.#devices.values()]});
    Promise.resolve().then(() => this.#storage.save('state', document)).catch((e) => this.#storageFailed(e));
  }

  #storageFailed(e) {
    this.#emit('error', new SyncError('storage', `the storage adapter failed: ${e?.message ?? e}`));
  }

  #transmit(frame) {
    this.#socket.send(JSON.stringify(frame));
    this.#emit('frame', {direction: 'out', frame});
  }

  #scheduleReconnect() {
    if (!this.#wanted) {
      return;
    }
    const delay = this.#backoff(this.#attempt);
    this.#attempt += 1;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      if (this.#wanted) {
        this.#open();
      }
    }, delay);
  }

  /** Full jitter: a random delay up to initial × 2^attempt, capped. */
  #backoff(attempt) {
    const {initialDelayMs, maxDelayMs} = this.#reconnect;
    return Math.floor(this.#random() * Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(attempt, 20)));
  }

  #scheduleRefresh(token) {
    const expiresAt = (jwtClaims(token)?.exp ?? 0) * 1000;
    if (typeof this.#token !== 'function' || !expiresAt) {
      return;
    }
    const delay = Math.max(1_000, expiresAt - this.#refreshBeforeMs - this.#now());
    this.#refreshTimer = setTimeout(async () => {
      this.#refreshTimer = null;
      try {
        const fresh = await this.#currentToken();
        if (this.#status === 'open') {
          this.#transmit({type: 'token_refresh', token: fresh});
          this.#scheduleRefresh(fresh);
        }
      } catch (e) {
        this.#emit('error', new SyncError('unauthorized', `the token provider failed: ${e.message ?? e}`));
      }
    }, delay);
  }

  #stopTimers() {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = null;
    this.#resendTimers.forEach(clearTimeout);
    this.#resendTimers.clear();
  }

  async #currentToken() {
    return typeof this.#token === 'function' ? this.#token() : this.#token;
  }

  #setStatus(status, detail = {}) {
    if (this.#status !== status) {
      this.#status = status;
      this.#emit('status', {status, ...detail});
    }
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, {detail}));
  }
}

/** Unique per device and beyond: the server remembers op ids per device for a day. */
function newOpId() {
  if (globalThis.crypto?.randomUUID) {
    return globalThis.crypto.randomUUID();
  }
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/** The claims of a JWT (not verified: the server does that), or null. */
export function jwtClaims(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload.padEnd(payload.length + ((4 - (payload.length % 4)) % 4), '=')));
  } catch {
    return null;
  }
}

/** Keeps nothing beyond this object: for tests, and apps that keep no edits across restarts. */
export function memoryStorage() {
  const documents = new Map();
  return {
    load: async (name) => documents.get(name) ?? null,
    save: async (name, document) => { documents.set(name, document); },
  };
}

/** Node: one file per name in a directory, written whole and renamed into place (a crash leaves one or the other). */
export function fileStorage(directory) {
  const fs = import('node:fs/promises');
  const path = import('node:path');
  return {
    async load(name) {
      const [{readFile}, {join}] = await Promise.all([fs, path]);
      try {
        return await readFile(join(directory, `${name}.json`), 'utf8');
      } catch (e) {
        if (e.code === 'ENOENT') {
          return null;
        }
        throw e;
      }
    },
    async save(name, document) {
      const [{mkdir, writeFile, rename}, {join}] = await Promise.all([fs, path]);
      await mkdir(directory, {recursive: true});
      const file = join(directory, `${name}.json`);
      const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temporary, document, 'utf8');
      await rename(temporary, file);
    },
  };
}

/** Browsers: an object store in IndexedDB (one database per name given, default "media-sync"). */
export function indexedDbStorage(database = 'media-sync', store = 'client') {
  const opened = new Promise((resolve, reject) => {
    const request = indexedDB.open(database, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(store);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const run = (mode, act) => opened.then((db) => new Promise((resolve, reject) => {
    const transaction = db.transaction(store, mode);
    const request = act(transaction.objectStore(store));
    transaction.oncomplete = () => resolve(request.result ?? null);
    transaction.onerror = () => reject(transaction.error);
  }));
  return {
    load: (name) => run('readonly', (objects) => objects.get(name)),
    save: (name, document) => run('readwrite', (objects) => objects.put(document, name)).then(() => {}),
  };
}
