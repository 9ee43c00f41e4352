// The browser tests' page (test/browser/*.test.ts): the BUILT library, imported as the browser gets it (no bundler,
// no CDN) from the harness control server, which serves clients/typescript/ under /static/. The page's origin is the
// control server's, which the gateway and alert-ingest are started allowing.
//
// The test starts the client with `window.tocsinPage.start({gatewayUrl, apiUrl, token})` through page.evaluate: the
// token never appears in the page's URL, in the DOM or on the console. Everything the test checks is on
// `window.tocsinPage` (plain, serialisable data) and on screen. Alert titles are rendered with textContent only.
import { TocsinClient, TocsinError } from '/static/dist/index.js';

const stateOutput = document.getElementById('state');
const countOutput = document.getElementById('count');
const errorLine = document.getElementById('error');
const list = document.getElementById('alerts');

/** A TocsinError (or anything thrown) as data the test can read; never carries the token. */
function describe(error) {
  if (!error) return null;
  const described = { name: error.name ?? 'Error', message: String(error.message ?? error) };
  if (error instanceof TocsinError) described.code = error.code;
  for (const field of ['status', 'reason', 'retryAfterSeconds', 'closeCode', 'closeReason', 'reconnect']) {
    if (error[field] !== undefined) described[field] = error[field];
  }
  return described;
}

/**
 * The browser's own WebSocket, recording what the test asserts about each connection: the URL (so no token in the
 * query string) and the subprotocol the gateway selected. The offered protocols carry the token and are not kept.
 */
function recordingWebSocket(sockets) {
  return class RecordingWebSocket extends WebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      const record = { url: this.url, offered: (Array.isArray(protocols) ? protocols : [protocols]).length,
        firstOffered: Array.isArray(protocols) ? protocols[0] : protocols, protocol: null, opened: false,
        closeCode: null };
      sockets.push(record);
      this.addEventListener('open', () => { record.opened = true; record.protocol = this.protocol; });
      this.addEventListener('close', (event) => { record.closeCode = event.code; });
    }
  };
}

const page = {
  /** Every state the client went through, in order. */
  states: [],
  state: 'idle',
  /** `alert` events per alert id: 1 each, or the client delivered it twice. */
  alertCounts: {},
  errors: [],
  /** null while running; `{error}` (null for a plain stop) once stopped. */
  stopped: null,
  sockets: [],
  /** Ack outcomes by alert id: the AckResult, or `{error}`. */
  acks: {},
  connects: 0,
  user: null,
  reloads: [],
  client: null,

  /** Starts the client; resolves when it is live or stopped (the outcome is in `state`/`stopped`). */
  async start({ gatewayUrl, apiUrl, token, reconnect }) {
    if (this.client) throw new Error('already started');
    const client = new TocsinClient({
      gatewayUrl, apiUrl, token: () => token, WebSocket: recordingWebSocket(this.sockets),
      reconnect: reconnect ?? { initialDelayMs: 200, maxDelayMs: 2_000 }, actionTimeoutMs: 20_000,
    });
    this.client = client;
    client.on('state', ({ state }) => {
      this.states.push(state);
      this.state = state;
      stateOutput.textContent = state;
    });
    client.on('alert', ({ alert }) => { this.alertCounts[alert.id] = (this.alertCounts[alert.id] ?? 0) + 1; });
    client.on('connected', ({ user }) => { this.connects++; this.user = user; });
    client.on('reloaded', ({ reason, count }) => { this.reloads.push({ reason, count }); });
    client.on('error', (error) => { this.errors.push(describe(error)); });
    client.on('stopped', ({ error }) => {
      this.stopped = { error: describe(error) };
      if (error) {
        errorLine.hidden = false;
        errorLine.textContent = `Stopped: ${error.message}`;
      }
    });
    client.on('change', scheduleRender);
    try {
      await client.start();
    } catch {
      // recorded by the `stopped` listener
    }
  },

  /** The store, as the test compares it: id, title, status, who acked. */
  store() {
    return (this.client?.alerts.list({ includeAcknowledged: true }) ?? []).map((entry) => ({
      id: entry.id, title: entry.alert.title, status: entry.status, acknowledgedBy: entry.acknowledgedBy ?? null,
    }));
  },

  /** Acks through the client; the outcome also lands in `acks[id]` (the page's Ack buttons use this). */
  async ack(id) {
    try {
      const result = await this.client.ack(id);
      this.acks[id] = { ...result };
    } catch (error) {
      this.acks[id] = { error: describe(error) };
    }
    return this.acks[id];
  },

  /** The ids of `ids` the page holds neither as an `alert` event nor in its store (a REST reload brings no event). */
  missing(ids) {
    return ids.filter((id) => !this.alertCounts[id] && this.client?.alerts.get(id) === undefined);
  },

  stop() {
    this.client?.stop();
  },
};

let renderPending = false;
function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  setTimeout(render, 0);
}

/** The alert list: one row per alert, its title through textContent (an alert's text is data, never markup). */
function render() {
  renderPending = false;
  const entries = page.client?.alerts.list({ includeAcknowledged: true }) ?? [];
  const rows = entries.map((entry) => {
    const row = document.createElement('li');
    row.dataset.id = entry.id;
    row.dataset.status = entry.status;
    const priority = document.createElement('span');
    priority.className = 'priority';
    priority.textContent = entry.alert.priority ?? 'medium';
    const title = document.createElement('span');
    title.className = 'title';
    title.textContent = entry.alert.title;
    row.append(priority, title, ' ');
    if (entry.status === 'acknowledged') {
      const by = document.createElement('small');
      by.className = 'acked-by';
      by.textContent = `acknowledged by ${entry.acknowledgedBy ?? '?'}`;
      row.append(by);
    } else {
      const button = document.createElement('button');
      button.className = 'ack';
      button.type = 'button';
      button.textContent = 'Ack';
      button.addEventListener('click', () => { button.disabled = true; void page.ack(entry.id); });
      row.append(button);
    }
    return row;
  });
  list.replaceChildren(...rows);
  countOutput.textContent = String(entries.length);
}

window.tocsinPage = page;
document.documentElement.dataset.ready = 'true';
