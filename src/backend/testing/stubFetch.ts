// Test double for global fetch: answers by path, records every request (tests only).
import type { FetchFn } from '../datasource/httpClient';

export interface StubAnswer {
  status?: number;
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export interface StubRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: unknown;
}

export type StubRoute = (req: StubRequest) => StubAnswer | undefined;

export function stubFetch(route: StubRoute): { fetch: FetchFn; requests: StubRequest[] } {
  const requests: StubRequest[] = [];
  const fn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>));
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const req: StubRequest = { method: init?.method ?? 'GET', url, headers, body };
    requests.push(req);
    const answer = route(req) ?? { status: 404, text: 'Unsupported API command: test' };
    const text = answer.text ?? JSON.stringify(answer.body ?? {});
    return new Response(text, {
      status: answer.status ?? 200,
      headers: { 'Content-Type': answer.text !== undefined ? 'text/plain' : 'application/json', ...answer.headers },
    });
  };
  return { fetch: fn as FetchFn, requests };
}
