import { HttpErrorResponse } from '@angular/common/http';
import type { ErrorBody } from './types';

/** An API error as the UI shows it: the daemon's stable code, its message, its details. */
export interface ShownError {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

function isErrorBody(v: unknown): v is ErrorBody {
  return typeof v === 'object' && v !== null && 'code' in v && 'message' in v;
}

/** Turns whatever a request threw into a message a person can act on. */
export function toShownError(err: unknown): ShownError {
  if (err instanceof HttpErrorResponse) {
    if (isErrorBody(err.error)) {
      return { status: err.status, code: err.error.code, message: err.error.message, details: err.error.details };
    }
    if (err.status === 0) {
      return { status: 0, code: 'unreachable', message: 'bkgd is not reachable; is it running?' };
    }
    return { status: err.status, code: 'http_error', message: `${err.status} ${err.statusText}` };
  }
  if (isErrorBody(err)) return { status: 0, code: err.code, message: err.message, details: err.details };
  if (err instanceof Error) return { status: 0, code: 'error', message: err.message };
  return { status: 0, code: 'error', message: String(err) };
}

/** The field errors of a `schema_violation` answer: JSON pointer path -> message. */
export function fieldErrors(err: ShownError): Map<string, string> {
  const out = new Map<string, string>();
  if (err.code !== 'schema_violation' || !Array.isArray(err.details)) return out;
  for (const d of err.details as { path?: unknown; message?: unknown }[]) {
    if (typeof d?.path === 'string' && typeof d?.message === 'string') {
      const path = d.path === '' ? '/' : d.path;
      out.set(path, out.has(path) ? `${out.get(path)}; ${d.message}` : d.message);
    }
  }
  return out;
}
