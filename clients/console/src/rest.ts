// alert-ingest's REST API from the console (same origin): the bearer token on every call, JSON problems
// (RFC 9457, docs/rest-api.md) turned into an error with the per-field messages.
import { token } from './auth.js';

export interface FieldError { field: string; message: string }

export class ProblemError extends Error {
  constructor(readonly status: number, message: string, readonly fieldErrors: FieldError[]) {
    super(message);
  }
}

export async function api<T>(apiUrl: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token()}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(apiUrl + path, {
    method, headers, cache: 'no-store', ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: reported below by status
  }
  if (!response.ok) {
    const problem = (json ?? {}) as { title?: string; detail?: string; errors?: FieldError[] };
    const errors = Array.isArray(problem.errors)
      ? problem.errors.filter((e) => typeof e?.field === 'string' && typeof e?.message === 'string') : [];
    throw new ProblemError(response.status, `${response.status} ${problem.title ?? response.statusText}`
      + (problem.detail ? `: ${problem.detail}` : ''), errors);
  }
  return json as T;
}
