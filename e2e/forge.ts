/**
 * Forged requests for the role specs: a server action called straight over HTTP, as a script would, with
 * any browser state's cookies (or none). Not a spec (Playwright collects only *.spec.ts and *.setup.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { request as playwrightRequest, type Request } from '@playwright/test';

export const SIGNED_OUT = { cookies: [], origins: [] };
export type BrowserState = string | typeof SIGNED_OUT;

/** The signed-in browser states e2e/auth.setup.ts made. */
export const stateOf = (name: 'admin' | 'operator' | 'viewer') => path.join(process.env.KEYDECK_E2E_AUTH_DIR!, `${name}.json`);

/** POSTs a server-action request (a page URL, its Next-Action header …) with `state`'s cookies; the answer's text. */
export async function postAction(baseURL: string, state: BrowserState, call: { url: string; headers: Record<string, string>; body: string }): Promise<string> {
  const context = await playwrightRequest.newContext({ baseURL, storageState: state });
  const headers = Object.fromEntries(Object.entries(call.headers).filter(([name]) => !['cookie', 'content-length', 'host'].includes(name)));
  const response = await context.post(call.url, { headers, data: call.body });
  const text = await response.text();
  await context.dispose();
  return text;
}

/** Sends a captured server-action request again with another browser state's cookies. */
export const replay = (captured: Request, baseURL: string, state: BrowserState) =>
  postAction(baseURL, state, { url: captured.url(), headers: captured.headers(), body: captured.postData() ?? '' });

/** A server action as the build knows it: its id, the module and export it comes from, and a page that loads it. */
export interface BuiltAction {
  id: string;
  exportedName: string;
  /** Source file, relative to the project: `app/(console)/keys/[keyId]/actions.ts`. */
  filename: string;
  /** The app route of a page that imports it: `app/(console)/keys/[keyId]/page`. */
  page: string;
}

/** Every server action of the last `next build`, from its server reference manifest. */
export function builtActions(root = process.cwd()): BuiltAction[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, '.next', 'server', 'server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { workers: Record<string, unknown>; exportedName?: string; filename?: string }>;
  };
  return Object.entries(manifest.node).flatMap(([id, entry]) => {
    const page = Object.keys(entry.workers).find((worker) => worker.endsWith('/page'));
    if (!entry.exportedName || !entry.filename || !page) return [];
    return [{ id, exportedName: entry.exportedName, filename: entry.filename.replace(/^\.\//, ''), page }];
  });
}

/** The URL of an app route (`app/(console)/keys/[keyId]/page`) with its dynamic segments filled from `params`. */
export function pageUrl(page: string, params: Record<string, string>): string {
  const segments = page
    .replace(/^app\//, '')
    .replace(/\/?page$/, '')
    .split('/')
    .filter((segment) => segment && !/^\(.*\)$/.test(segment))
    .map((segment) => {
      const name = /^\[(\w+)\]$/.exec(segment)?.[1];
      if (!name) return segment;
      if (!(name in params)) throw new Error(`no value for [${name}] of ${page}`);
      return encodeURIComponent(params[name]!);
    });
  return `/${segments.join('/')}`;
}

/** Calls a built server action with `args` as `state`, the way React's client does (Next-Action header, JSON body). */
export function forgeAction(baseURL: string, state: BrowserState, action: BuiltAction, args: unknown[], params: Record<string, string>): Promise<string> {
  return postAction(baseURL, state, {
    url: pageUrl(action.page, params),
    headers: { 'next-action': action.id, accept: 'text/x-component', 'content-type': 'text/plain;charset=UTF-8', origin: baseURL },
    body: JSON.stringify(args),
  });
}

/** The action's typed result (`{ ok, data | error }`) out of the RSC answer's rows. */
export function actionResult(rsc: string): { ok: boolean; data?: unknown; error?: { name: string; message: string } } | undefined {
  for (const line of rsc.split('\n')) {
    const json = /^[0-9a-f]+:(\{.*\})$/.exec(line)?.[1];
    if (!json) continue;
    try {
      const value = JSON.parse(json) as Record<string, unknown>;
      if (typeof value.ok === 'boolean') return value as ReturnType<typeof actionResult>;
    } catch {
      // Not a JSON row (a model reference …): the next one.
    }
  }
  return undefined;
}

/** `export const xAction = defineAction({ … role: 'operator' …` in the sources: each action's least role, as the code says it. */
export function actionRoles(root = process.cwd()): Map<string, { exportedName: string; role: 'viewer' | 'operator' | 'admin' }> {
  const roles = new Map<string, { exportedName: string; role: 'viewer' | 'operator' | 'admin' }>();
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : entry.name === 'actions.ts' ? [path.join(dir, entry.name)] : []));
  for (const file of walk(path.join(root, 'app'))) {
    const source = fs.readFileSync(file, 'utf8');
    for (const match of source.matchAll(/export const (\w+) = defineAction\(\{[\s\S]*?\brole: '(viewer|operator|admin)'/g)) {
      roles.set(`${path.relative(root, file)}#${match[1]}`, { exportedName: match[1]!, role: match[2] as 'viewer' | 'operator' | 'admin' });
    }
  }
  return roles;
}

/** `export const GET = withRole('viewer', …)` in app/api/**\/route.ts: each route handler's method, path and least role. */
export function routeRoles(root = process.cwd()): { method: string; route: string; role: 'viewer' | 'operator' | 'admin' }[] {
  const found: { method: string; route: string; role: 'viewer' | 'operator' | 'admin' }[] = [];
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : entry.name === 'route.ts' ? [path.join(dir, entry.name)] : []));
  for (const file of walk(path.join(root, 'app', 'api'))) {
    const source = fs.readFileSync(file, 'utf8');
    for (const match of source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE) = withRole\('(viewer|operator|admin)'/g)) {
      found.push({ method: match[1]!, route: `/${path.relative(path.join(root, 'app'), path.dirname(file)).split(path.sep).join('/')}`, role: match[2] as 'viewer' | 'operator' | 'admin' });
    }
  }
  return found;
}
