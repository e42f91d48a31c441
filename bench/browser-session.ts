/**
 * Signs a benchmark's browser in to the demo console the way a user does — the sign-in page's one-click
 * persona button — so the pages it measures are the ones a signed-in user gets, not the sign-in redirect.
 */
import type { BrowserContext } from '@playwright/test';

/** Signs `context` in as a demo persona; returns the Cookie header for the benchmark's own fetch calls. */
export async function signInDemoPersona(context: BrowserContext, origin: string, persona = 'Ada Admin'): Promise<string> {
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/signin`);
    await page.getByRole('button', { name: `Sign in as ${persona}` }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60_000 });
  } finally {
    await page.close();
  }
  const cookies = await context.cookies(origin);
  if (!cookies.some((c) => c.name.endsWith('keydeck_session'))) throw new Error(`signing in as ${persona} set no session cookie`);
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}
