// Request URLs are only ever the configured base URL plus a path from our own builders. Anything that would
// leave the base URL (another origin, a path above the base path) is refused, so the token cannot travel.
import { NetdataRequestError } from './requestError';

function refuse(why: string): NetdataRequestError {
  return new NetdataRequestError('refused-url', `Refusing to send a request ${why}`, 400, 'plugin');
}

function basePath(base: URL): string {
  return base.pathname === '/' ? '' : base.pathname.replace(/\/+$/, '');
}

/** `path` starts with `/` and may carry a query string, e.g. `/api/v3/data?scope_contexts=system.cpu`. */
export function requestUrl(base: URL, path: string): URL {
  if (!path.startsWith('/') || path.startsWith('//')) {
    throw refuse('to a path that does not start with a single "/"');
  }
  if (/[\\#\u0000-\u001f\u007f\s]/.test(path)) {
    throw refuse('to a path with control characters, spaces, "\\" or "#"');
  }
  const rawPath = path.split('?')[0];
  const segments = rawPath.split('/').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  if (segments.some((s) => s === '.' || s === '..' || s.includes('/'))) {
    throw refuse('to a path with "." or ".." segments');
  }
  const prefix = basePath(base);
  let url: URL;
  try {
    url = new URL(`${base.origin}${prefix}${path}`);
  } catch {
    throw refuse('to an invalid URL');
  }
  if (url.origin !== base.origin || !url.pathname.startsWith(`${prefix}/`)) {
    throw refuse(`outside the data source URL ${base.origin}${prefix}`);
  }
  return url;
}
