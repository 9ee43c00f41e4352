// The console's settings, served by alert-ingest at /console/config.json (tocsin.ingest.console.*). The page is on
// alert-ingest's origin, so the REST API is this origin; the WebSocket goes to the gateway named here.

export interface ConsoleConfig {
  /** ws(s)://host:port/ws/alerts, or null when alert-ingest was not told (tocsin.ingest.console.gateway-url). */
  gatewayUrl: string | null;
  /** alert-ingest's base URL for REST calls: this page's origin. */
  apiUrl: string;
  /** The stale banner shows when nothing came from the gateway for this long. */
  staleAfterSeconds: number;
}

export class ConfigError extends Error {}

export async function loadConfig(): Promise<ConsoleConfig> {
  let response: Response;
  try {
    response = await fetch('config.json', { cache: 'no-store', headers: { Accept: 'application/json' } });
  } catch (error) {
    throw new ConfigError(`Cannot reach alert-ingest for the console's configuration (${String(error)}).`);
  }
  if (!response.ok) {
    throw new ConfigError(`alert-ingest answered ${response.status} for the console's configuration (config.json).`);
  }
  const body = await response.json() as Partial<{ gatewayUrl: string | null; staleAfterSeconds: number }>;
  const gatewayUrl = typeof body.gatewayUrl === 'string' && /^wss?:\/\//.test(body.gatewayUrl) ? body.gatewayUrl : null;
  return {
    gatewayUrl,
    apiUrl: window.location.origin,
    staleAfterSeconds: typeof body.staleAfterSeconds === 'number' && body.staleAfterSeconds > 0 ? body.staleAfterSeconds : 75,
  };
}
