// Types of sync-client.js: the frames of docs/protocol.md, the client's events and methods.

/** Hybrid logical clock timestamp, "<physical_ms>:<logical>". */
export type Hlc = string;

export type ErrorCode = 'bad_request' | 'too_large' | 'unauthorized' | 'forbidden' | 'rate_limited' | 'clock_skew'
  | 'stale' | 'unknown_device' | 'device_offline' | 'unavailable' | 'limit_exceeded' | 'unsupported_command'
  | 'internal' | 'outbox_full' | 'closed' | 'storage';

export declare const ERROR_CODES: readonly ErrorCode[];

export declare class SyncError extends Error {
  constructor(code: ErrorCode | string, message: string, opId?: string);
  readonly code: ErrorCode | string;
  readonly opId?: string;
  /** unavailable and rate_limited: the client sends the op again by itself. */
  readonly retryable: boolean;
}

export declare class HybridClock {
  constructor(now?: () => number);
  now(): Hlc;
  observe(timestamp: Hlc): void;
  static parse(timestamp: Hlc): [number, number] | null;
  static compare(a: Hlc, b: Hlc): number;
}

export type Platform = 'tv' | 'phone' | 'tablet' | 'web' | 'desktop' | 'other';
export type PlaybackState = 'playing' | 'paused' | 'completed';
export type CommandType = 'play' | 'pause' | 'seek' | 'stop' | 'cast';

/** Every record pushed to devices carries its user and version (docs/protocol.md, Added fields). */
interface Pushed {
  user_id?: string;
  version?: number;
}

export interface WatchlistTitle {
  content_id: string;
  added_at: Hlc;
  tags: string[];
}

export interface ProgressState extends Pushed {
  type: 'progress_state';
  content_id: string;
  position_seconds: number;
  duration_seconds: number;
  state: PlaybackState;
  resume_position_seconds: number;
  completed: boolean;
  device_id: string;
  op_id: string;
  timestamp: Hlc;
}

export interface DeviceState extends Pushed {
  type: 'device_state';
  device_id: string;
  name: string;
  platform: Platform;
  capabilities: string[];
  online: boolean;
  /** epoch ms */
  last_seen: number;
  timestamp: Hlc;
  registered_at?: Hlc;
}

export interface WatchlistState extends Pushed {
  type: 'watchlist_state';
  content_id: string;
  in_watchlist: boolean;
  tags: string[];
  added_at?: Hlc;
  timestamp: Hlc;
}

export interface ProgressRemoved extends Pushed {
  type: 'progress_removed';
  content_id: string;
  timestamp: Hlc;
}

export interface DeviceRemoved extends Pushed {
  type: 'device_removed';
  device_id: string;
  timestamp: Hlc;
}

export interface DeviceCommand extends Pushed {
  type: 'device_command';
  command_id: string;
  from_device_id: string;
  target_device_id?: string;
  command: CommandType;
  content_id?: string;
  position_seconds?: number;
  /** epoch ms */
  expires_at: number;
}

export interface Snapshot {
  type: 'snapshot';
  timestamp: Hlc;
  version?: number;
  watchlist: WatchlistTitle[];
  progress: ProgressState[];
  devices: DeviceState[];
}

export interface Ack {
  type?: 'ack';
  op_id: string;
  timestamp: Hlc;
}

export interface ErrorFrame {
  type: 'error';
  code: ErrorCode;
  message: string;
  op_id?: string;
  retry_after_ms?: number;
}

export type ServerFrame = Snapshot | Ack | ErrorFrame | WatchlistState | ProgressState | ProgressRemoved
  | DeviceState | DeviceRemoved | DeviceCommand | {type: 'token_refreshed'; expires_at: number};

export type Kind = 'watchlist' | 'progress' | 'devices';

export interface ChangeDetail {
  kind: Kind;
  id: string;
  /** null when the entity was removed */
  value: WatchlistTitle | ProgressState | DeviceState | null;
  version: number;
}

export interface StatusDetail {
  status: 'idle' | 'connecting' | 'open' | 'closed';
  code?: number;
  reason?: string;
}

export interface SyncClientEventMap {
  status: CustomEvent<StatusDetail>;
  snapshot: CustomEvent<{version: number}>;
  change: CustomEvent<ChangeDetail>;
  command: CustomEvent<DeviceCommand>;
  error: CustomEvent<SyncError>;
  token: CustomEvent<{expires_at: number}>;
  ack: CustomEvent<{op_id: string; timestamp: Hlc}>;
  frame: CustomEvent<{direction: 'in' | 'out'; frame: ServerFrame | Record<string, unknown>}>;
}

/** Where the outbox and the last state shown are kept across restarts; may be synchronous or not. */
export interface StorageAdapter {
  load(name: 'outbox' | 'state'): string | null | Promise<string | null>;
  save(name: 'outbox' | 'state', document: string): void | Promise<void>;
}

export interface SyncClientOptions {
  /** the gateway, e.g. "http://localhost:8083" (ws:// and wss:// too) */
  url: string;
  deviceId: string;
  /** a JWT, or a function asked for every connect and before the token expires */
  token: string | (() => string | Promise<string>);
  WebSocket?: {new (url: string): WebSocket};
  reconnect?: {initialDelayMs?: number; maxDelayMs?: number};
  maxPending?: number;
  refreshBeforeMs?: number;
  storage?: StorageAdapter | null;
  random?: () => number;
  now?: () => number;
}

export declare class SyncClient extends EventTarget {
  constructor(options: SyncClientOptions);
  readonly deviceId: string;
  readonly userId: string | null;
  readonly status: StatusDetail['status'];
  readonly running: boolean;
  readonly pending: number;
  readonly watchlist: Map<string, WatchlistTitle>;
  readonly progress: Map<string, ProgressState>;
  readonly devices: Map<string, DeviceState>;

  connect(): this;
  close(): void;
  /** Settles once the storage adapter's outbox and state are loaded. */
  ready(): Promise<void>;

  addToWatchlist(contentId: string): Promise<Ack>;
  removeFromWatchlist(contentId: string): Promise<Ack>;
  reportProgress(contentId: string, progress: {positionSeconds: number; durationSeconds: number;
    state?: PlaybackState}): Promise<Ack>;
  removeProgress(contentId: string): Promise<Ack>;
  register(device: {name: string; platform: Platform; capabilities?: string[]}): Promise<Ack>;
  sendCommand(targetDeviceId: string, command: CommandType,
    options?: {contentId?: string; positionSeconds?: number}): Promise<Ack>;
  handoff(targetDeviceId: string, contentId: string): Promise<Ack>;
  removeDevice(targetDeviceId: string): Promise<Ack>;

  addEventListener<K extends keyof SyncClientEventMap>(type: K,
    listener: (event: SyncClientEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof SyncClientEventMap>(type: K,
    listener: (event: SyncClientEventMap[K]) => void, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions): void;
}

/** The claims of a JWT (not verified: the server does that), or null. */
export declare function jwtClaims(token: string): Record<string, unknown> | null;

export declare function memoryStorage(): StorageAdapter;
/** Node: one file per name in the directory. */
export declare function fileStorage(directory: string): StorageAdapter;
/** Browsers: an IndexedDB object store. */
export declare function indexedDbStorage(database?: string, store?: string): StorageAdapter;
