// What a route handler answers; the server writes it (or mangles it when a fault is set).

export interface Reply {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
  statusMessage?: string;
}

export const JSON_TYPE = 'application/json; charset=utf-8';
export const TEXT_TYPE = 'text/plain; charset=utf-8';
export const HTML_TYPE = 'text/html; charset=utf-8';

export function text(status: number, body: string): Reply {
  return { status, contentType: TEXT_TYPE, body };
}

export function html(status: number, body: string): Reply {
  return { status, contentType: HTML_TYPE, body };
}

export function json(status: number, doc: unknown, minify = false): Reply {
  return { status, contentType: JSON_TYPE, body: minify ? JSON.stringify(doc) : JSON.stringify(doc, null, 4) };
}
