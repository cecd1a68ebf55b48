// The device console: several devices of one user side by side, each a SyncClient on its own WebSocket.
import {SyncClient, HybridClock} from './sync-client.js';

const params = new URLSearchParams(location.search);
const form = document.querySelector('#add-device');
const cards = document.querySelector('#devices');
const MAX_FRAMES = 40;

form.user.value = params.get('user') ?? `demo-${Math.random().toString(36).slice(2, 7)}`;
form.addEventListener('submit', (event) => {
  event.preventDefault();
  openDevice(form.user.value, form.device.value, form.platform.value);
  form.device.value = '';
});
for (const spec of (params.get('devices') ?? 'tv-1:tv,phone-1:phone').split(',').filter(Boolean)) {
  const [deviceId, platform = 'web'] = spec.split(':');
  openDevice(form.user.value, deviceId, platform);
}

async function devToken(userId, deviceId) {
  const response = await fetch('/api/v1/dev/token', {method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({user_id: userId, device_id: deviceId})});
  const body = await response.json();
  if (!response.ok) {
    throw new Error(`${response.status} ${body.code ?? ''}: ${body.detail ?? body.message ?? 'no dev token'}`);
  }
  return body.token;
}

function openDevice(userId, deviceId, platform) {
  if (cards.querySelector(`[data-device="${CSS.escape(deviceId)}"]`)) {
    return;
  }
  const card = document.querySelector('#device-card').content.firstElementChild.cloneNode(true);
  card.dataset.device = deviceId;
  const part = (role) => card.querySelector(`[data-role="${role}"]`);
  part('name').textContent = deviceId;
  part('platform').textContent = `${platform} · ${userId}`;
  cards.append(card);

  const client = new SyncClient({url: location.origin, deviceId, token: () => devToken(userId, deviceId)});
  const commands = [];
  const frames = [];

  const render = () => {
    renderWatchlist(part('watchlist'), client);
    renderProgress(part('progress'), client);
    renderDevices(part('devices'), client, card);
  };
  const fail = (error) => log(`✗ ${error.code ?? 'error'}: ${error.message}`, 'error');
  const log = (text, kind = 'note') => {
    frames.unshift({text, kind});
    frames.length = Math.min(frames.length, MAX_FRAMES);
    part('frames').replaceChildren(...frames.map((f) => el('li', {class: f.kind}, f.text)));
    part('frame-count').textContent = `(${frames.length} latest)`;
  };

  client.addEventListener('status', (e) => {
    const {status, code, reason} = e.detail;
    const badge = card.querySelector('[data-testid="status"]');
    badge.textContent = status;
    badge.dataset.status = status;
    part('toggle').textContent = status === 'closed' && !client.running ? 'Connect' : 'Disconnect';
    if (status === 'open') {
      client.register({name: deviceId, platform, capabilities: ['playback', 'cast']}).catch(fail);
    }
    if (status === 'closed' && code !== undefined) {
      log(`closed ${code}${reason ? ` ${reason}` : ''}`, 'note');
    }
  });
  client.addEventListener('snapshot', render);
  client.addEventListener('change', render);
  client.addEventListener('error', (e) => fail(e.detail));
  client.addEventListener('command', (e) => {
    const c = e.detail;
    commands.unshift(`${c.command} ${c.content_id ?? ''}${c.position_seconds === undefined ? '' : ` @ ${Math.round(c.position_seconds)} s`} from ${c.from_device_id}`);
    part('commands').replaceChildren(...commands.slice(0, 10).map((text) => el('li', {'data-testid': 'command'}, text)));
  });
  client.addEventListener('frame', (e) => {
    const {direction, frame} = e.detail;
    log(`${direction === 'in' ? '←' : '→'} ${JSON.stringify(frame)}`, direction);
  });

  part('add-title').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = event.target.querySelector('input');
    client.addToWatchlist(input.value.trim()).catch(fail);
    input.value = '';
  });
  part('report').addEventListener('submit', (event) => {
    event.preventDefault();
    const f = event.target;
    client.reportProgress(f.content.value.trim(), {positionSeconds: Number(f.position.value),
      durationSeconds: Number(f.duration.value), state: f.state.value}).catch(fail);
  });
  card.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) {
      return;
    }
    const {action, content, target} = button.dataset;
    const done = {
      'remove-title': () => client.removeFromWatchlist(content),
      'remove-progress': () => client.removeProgress(content),
      handoff: () => client.handoff(target, playing(client)),
      command: () => client.sendCommand(target, button.dataset.command, {contentId: latestTitle(client, card)}),
      forget: () => client.removeDevice(target),
    }[action]?.();
    done?.catch(fail);
  });
  part('toggle').addEventListener('click', () => {
    if (client.running) {
      client.close();
    } else {
      client.connect();
    }
  });
  part('forget').addEventListener('click', () => {
    client.close();
    card.remove();
  });

  client.connect();
}

/** What a command is about: the title watched last on any device, the one in this card's form, or none. */
function latestTitle(client, card) {
  const latest = [...client.progress.values()].sort((a, b) => HybridClock.compare(b.timestamp, a.timestamp))[0];
  return latest?.content_id || card.querySelector('[data-testid="progress-content"]').value.trim() || undefined;
}

/** The title this device plays (its own latest progress, playing or paused): the only thing it can hand off. */
function playing(client) {
  const mine = [...client.progress.values()].filter((p) => p.device_id === client.deviceId)
    .sort((a, b) => HybridClock.compare(b.timestamp, a.timestamp))[0];
  return mine && !mine.completed && (mine.state === 'playing' || mine.state === 'paused') ? mine.content_id : undefined;
}

function renderWatchlist(list, client) {
  const items = [...client.watchlist.values()].sort((a, b) => a.content_id.localeCompare(b.content_id));
  list.replaceChildren(...items.map((item) => el('li', {'data-testid': 'watchlist-item', 'data-content': item.content_id},
    el('span', {}, item.content_id),
    el('small', {}, `${item.tags.length} tag${item.tags.length === 1 ? '' : 's'}`),
    el('button', {'data-action': 'remove-title', 'data-content': item.content_id, title: 'remove'}, 'remove'))));
  if (!items.length) {
    list.replaceChildren(el('li', {class: 'empty'}, 'empty'));
  }
}

function renderProgress(list, client) {
  const items = [...client.progress.values()].sort((a, b) => HybridClock.compare(b.timestamp, a.timestamp));
  list.replaceChildren(...items.map((p) => el('li', {'data-testid': 'progress-item', 'data-content': p.content_id},
    el('span', {}, p.content_id),
    el('meter', {min: 0, max: p.duration_seconds, value: p.position_seconds}),
    el('small', {}, `${clock(p.position_seconds)} / ${clock(p.duration_seconds)} · ${p.state} · resume ${clock(p.resume_position_seconds ?? p.position_seconds)} · by ${p.device_id}`),
    el('button', {'data-action': 'remove-progress', 'data-content': p.content_id, title: 'remove'}, 'remove'))));
  if (!items.length) {
    list.replaceChildren(el('li', {class: 'empty'}, 'nothing in progress'));
  }
}

function renderDevices(list, client, card) {
  const items = [...client.devices.values()].sort((a, b) => a.device_id.localeCompare(b.device_id));
  const title = playing(client);
  list.replaceChildren(...items.map((d) => {
    const self = d.device_id === client.deviceId;
    const actions = self ? [el('small', {}, 'this device')] : [
      ...['play', 'pause', 'stop'].map((command) => el('button', {'data-action': 'command', 'data-command': command,
        'data-target': d.device_id, 'data-testid': `command-${command}`, disabled: !d.online}, command)),
      el('button', {'data-action': 'handoff', 'data-target': d.device_id, 'data-testid': 'handoff',
        disabled: !d.online || !title, title: title ? `play ${title} there, from where it is here` : 'this device plays nothing'},
        title ? `hand off ${title}` : 'hand off'),
      d.online ? '' : el('button', {'data-action': 'forget', 'data-target': d.device_id, title: 'forget this device'}, 'forget'),
    ];
    return el('li', {'data-testid': 'sibling', 'data-device': d.device_id, 'data-online': String(d.online)},
      el('span', {class: d.online ? 'dot online' : 'dot'}, ''),
      el('span', {}, `${d.device_id}`),
      el('small', {}, `${d.platform ?? ''} · ${d.online ? 'online' : 'offline'}`), ...actions);
  }));
  card.querySelector('[data-role="platform"]').title = `${items.length} devices`;
}

function clock(seconds) {
  const s = Math.round(Number(seconds) || 0);
  return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** A DOM element; text children are set as text, never parsed as HTML. */
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false) {
      continue;
    }
    node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children);
  return node;
}
