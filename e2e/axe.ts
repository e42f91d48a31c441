/**
 * axe-core scans for the specs: the axe-core that @axe-core/playwright bundles, run with its defaults, injected
 * once per document instead of once per scan. AxeBuilder injects its 1.4 MB source on every analyze() and
 * finishes each run in a new blank page, which costs several times the scan itself on a loaded machine;
 * a page that switches tabs in the browser is scanned again and again in one document.
 */
import { createRequire } from 'node:module';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

export type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;

// The very axe-core AxeBuilder runs (its own dependency, not whatever version another package hoisted).
const fromAxePlaywright = createRequire(createRequire(import.meta.url).resolve('@axe-core/playwright'));
const { source } = fromAxePlaywright('axe-core') as { source: string };

interface AxeWindow {
  axe?: { run(context: Document | { include: string[] }, options: object): Promise<AxeResults> };
}

/**
 * Scans the page (or only the `include` selectors) with axe's default rules. A page with frames is scanned by
 * AxeBuilder itself, which runs axe in every frame.
 */
export async function axeScan(page: Page, include?: string[]): Promise<AxeResults> {
  if (page.frames().length > 1) {
    const builder = new AxeBuilder({ page });
    for (const selector of include ?? []) builder.include(selector);
    return builder.analyze();
  }
  if (!(await page.evaluate(() => typeof (window as AxeWindow).axe?.run === 'function'))) await page.evaluate(source);
  return page.evaluate((include) => (window as AxeWindow).axe!.run(include ? { include } : document, {}), include);
}
