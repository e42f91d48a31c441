/** An SDK request handler that hands each signed request to an emulator's `dispatch` in process (no socket). */
import { HttpResponse, type HttpRequest } from '@smithy/protocol-http';
import type { Emulator } from '@/lib/emulator';

export function inProcessHandler(dispatch: Emulator['dispatch']) {
  return {
    handle: async (req: HttpRequest) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;
      const query = new URLSearchParams(req.query as Record<string, string>).toString();
      const body = req.body === undefined || req.body === null ? '' : (req.body as string | Uint8Array);
      const res = await dispatch({ method: req.method, path: query ? `${req.path}?${query}` : req.path, headers, body });
      return { response: new HttpResponse({ statusCode: res.status, headers: res.headers, body: res.body }) };
    },
  };
}
