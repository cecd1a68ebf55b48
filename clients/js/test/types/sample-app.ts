// A small app written against the declarations; `tsc --noEmit` (npm test) must accept it.
import {SyncClient, SyncError, memoryStorage, type DeviceCommand, type ProgressState} from '../../src/sync-client.js';

const tv = new SyncClient({
  url: 'http://localhost:8083',
  deviceId: 'tv-1',
  token: async () => 'jwt',
  storage: memoryStorage(),
});

tv.addEventListener('change', (event) => {
  const {kind, id, value, version} = event.detail;
  if (kind === 'progress' && value && 'resume_position_seconds' in value) {
    const progress: ProgressState = value;
    console.log(id, progress.resume_position_seconds, version);
  }
});
tv.addEventListener('command', (event) => {
  const command: DeviceCommand = event.detail;
  console.log(command.command, command.position_seconds ?? 0);
});
tv.addEventListener('error', (event) => {
  const error: SyncError = event.detail;
  console.log(error.code, error.retryable);
});

async function use(): Promise<void> {
  await tv.ready();
  tv.connect();
  const ack = await tv.addToWatchlist('tmdb:550');
  const opId: string = ack.op_id;
  await tv.reportProgress('tmdb:550', {positionSeconds: 3245, durationSeconds: 8217, state: 'paused'});
  await tv.sendCommand('phone-1', 'seek', {contentId: 'tmdb:550', positionSeconds: 120});
  await tv.handoff('phone-1', 'tmdb:550');
  for (const [contentId, title] of tv.watchlist) {
    console.log(contentId, title.added_at, title.tags.length, opId);
  }
  tv.close();
}

void use();
