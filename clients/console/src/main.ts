// The console's entry point: sign-in, configuration, the client, and the wiring between the views.
import { TocsinClient, type AlertEntry } from '@tocsin/client';
import { Announcer } from './announce.js';
import {
  adoptFragmentToken, canClear, currentSession, freshToken, isAdmin, signIn, signOut, tokenFromProxy, type Session,
} from './auth.js';
import { ClearControls } from './clear-controls.js';
import { ConfigError, loadConfig, type ConsoleConfig } from './config.js';
import { CreateForm } from './create-form.js';
import { DetailView } from './detail-view.js';
import { byId } from './dom.js';
import { FiltersPanel } from './filters-panel.js';
import { isFiltering, matches } from './filters.js';
import { priorityOf } from './icons.js';
import { ListView, type RemovedAlert } from './list-view.js';
import { StatsView } from './stats-view.js';
import { StatusBar, trackedWebSocket } from './status-bar.js';

/** Cleared or expired alerts stay visible (greyed) this long. */
const REMOVED_KEEP_MS = 5 * 60_000;

adoptFragmentToken(); // first: the token leaves the address bar before anything else runs
void boot();

async function boot(): Promise<void> {
  let config: ConsoleConfig;
  try {
    config = await loadConfig();
  } catch (error) {
    fatal(error instanceof ConfigError ? error.message : String(error));
    return;
  }
  if (!config.gatewayUrl) {
    fatal('This console does not know where the gateway is: alert-ingest has no tocsin.ingest.console.gateway-url '
      + '(the WebSocket URL, e.g. wss://alerts.example.org/ws/alerts). Ask whoever runs Tocsin to set it; see docs/console.md.');
    return;
  }
  const session = currentSession() ?? await tokenFromProxy();
  if (!session) {
    showSignIn();
    return;
  }
  run(config as ConsoleConfig & { gatewayUrl: string }, session);
}

function fatal(message: string): void {
  const box = byId('fatal');
  box.textContent = message;
  box.hidden = false;
  document.documentElement.dataset['ready'] = 'error';
}

function showSignIn(message = ''): void {
  const form = byId<HTMLFormElement>('signin');
  const error = byId('signin-error');
  form.hidden = false;
  error.textContent = message;
  document.documentElement.dataset['ready'] = 'signin';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const field = byId<HTMLTextAreaElement>('signin-token');
    const result = signIn(field.value);
    field.value = '';
    if (typeof result === 'string') {
      error.textContent = result;
      field.focus();
      return;
    }
    window.location.reload();
  });
  byId('signin-token').focus();
}

function run(config: ConsoleConfig & { gatewayUrl: string }, session: Session): void {
  byId('app').hidden = false;
  byId('who').textContent = `${session.user} (${session.roles.join(', ') || 'no role'})`;
  byId('signout').hidden = false;
  byId('signout').addEventListener('click', () => {
    client.stop();
    signOut();
    window.location.hash = '';
    window.location.reload();
  });
  // What a role may not do is not in the page at all (the server enforces it regardless).
  if (!canClear(session)) byId('clear-panel').remove();
  if (!isAdmin(session)) {
    byId('stats-panel').remove();
    byId('create-panel').remove();
  }

  const filters = new FiltersPanel(session, () => scheduleRender());
  const groups = filters.initialGroups();
  const client = new TocsinClient({
    gatewayUrl: config.gatewayUrl, apiUrl: config.apiUrl, token: freshToken, WebSocket: trackedWebSocket(),
    ...(groups ? { groups } : {}),
  });
  filters.bindGroups(client);

  const clear = canClear(session) ? new ClearControls(byId('clear-panel'), client) : null;
  const removed = new Map<string, RemovedAlert>();
  const list = new ListView(byId<HTMLUListElement>('alerts'), byId<HTMLUListElement>('removed-alerts'), byId('list-summary'), {
    ack: (id) => acknowledge(id),
    selection: clear ? clear.selection : null,
    onSelectionChange: () => clear?.selectionChanged(),
  });
  const detail = new DetailView(byId('detail'), client, config.apiUrl, session, () => {
    if (window.location.hash.startsWith('#/alerts/')) history.replaceState(null, '', window.location.pathname);
  });
  new StatusBar(byId('connection'), byId('connection-note'), byId('stale'), config.staleAfterSeconds, client);
  const announcer = new Announcer(byId('announce'), byId<HTMLInputElement>('opt-sound'), byId<HTMLInputElement>('opt-notify'));
  if (isAdmin(session)) {
    new StatsView(byId('stats-panel'), client);
    new CreateForm(byId<HTMLFormElement>('create-form'), config.apiUrl);
  }

  let renderTimer: number | undefined;
  function scheduleRender(): void {
    renderTimer ??= window.setTimeout(() => {
      renderTimer = undefined;
      render();
    }, 30);
  }
  function render(): void {
    const all = client.alerts.list();
    const now = Date.now();
    for (const [id, r] of removed) if (now - r.at > REMOVED_KEEP_MS || client.alerts.get(id)) removed.delete(id);
    const shown = all.filter((e) => matches(e, filters.filters));
    list.render(shown, all.length, [...removed.values()].filter((r) => matches(r.entry, filters.filters)).reverse());
    filters.renderMap(all);
    byId('filter-state').textContent = isFiltering(filters.filters) ? 'Filters active' : '';
    clear?.selectionChanged();
  }

  // The last copy of each alert, so a cleared one can still be shown (the store forgets it).
  const lastSeen = new Map<string, AlertEntry>();
  client.alerts.subscribe((change) => {
    if (change.kind === 'added' || change.kind === 'updated') {
      lastSeen.set(change.entry.id, change.entry);
      if (change.kind === 'updated') detail.refresh(change.entry.id);
    } else if (change.kind === 'removed') {
      const entry = lastSeen.get(change.id);
      lastSeen.delete(change.id);
      if (entry && change.status !== 'deleted') removed.set(change.id, { entry, status: change.status, at: Date.now() });
      clear?.selection.delete(change.id);
      detail.refresh(change.id);
    } else {
      lastSeen.clear();
      for (const entry of client.alerts.list()) lastSeen.set(entry.id, entry);
    }
    scheduleRender();
  });
  client.on('alert', ({ alert, replayed }) => {
    // the event comes before the store applies the alert: judge the filters on the alert itself
    const entry: AlertEntry = client.alerts.get(alert.id) ?? { id: alert.id, alert, version: alert.version, status: 'active' };
    if (!replayed && priorityOf(alert.priority) === 'critical' && matches(entry, filters.filters)) {
      announcer.critical(alert);
    }
  });

  function acknowledge(id: string): void {
    if (list.ackState.get(id) === 'pending') return;
    list.ackState.set(id, 'pending');
    scheduleRender();
    client.ack(id).then(() => {
      // confirmed by the server's ack_result; the store shows who acknowledged (on every console)
      list.ackState.delete(id);
      scheduleRender();
    }, (error: Error & { code?: string }) => {
      list.ackState.set(id, { error: error.code === 'unknown_alert' ? 'This alert no longer exists.' : `Not acknowledged: ${error.message}` });
      scheduleRender();
    });
  }

  function route(): void {
    const match = /^#\/alerts\/([^/?]+)/.exec(window.location.hash);
    if (match && match[1]) void detail.open(decodeURIComponent(match[1]));
    else if (detail.currentId) detail.close();
  }
  window.addEventListener('hashchange', route);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && detail.currentId) detail.close();
  });

  render();
  route();
  client.start().then(() => {
    document.documentElement.dataset['ready'] = 'true';
  }, (error: Error) => {
    document.documentElement.dataset['ready'] = 'error';
    byId('connection-note').textContent = `Could not connect: ${error.message}`;
  });
}
