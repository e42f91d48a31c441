/** An honest placeholder for a section that is planned: what it will show, and no made-up data. */
import { Badge } from '@/components/ui/badge';
import { PageHeader } from './page-header';

export function ComingSoon({ title, summary, plans, children }: { title: string; summary: string; plans: string[]; children?: React.ReactNode }) {
  return (
    <>
      <PageHeader title={title} description={summary} />
      <section aria-labelledby="plans" className="mx-6 mb-6 max-w-3xl rounded-xl border border-dashed border-zinc-300 bg-white p-5 dark:border-zinc-700 dark:bg-zinc-900">
        <div className="flex items-center gap-2">
          <h2 id="plans" className="text-sm font-semibold">
            What will be here
          </h2>
          <Badge tone="info">Coming soon</Badge>
        </div>
        <ul className="mt-3 list-disc space-y-1.5 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
          {plans.map((plan) => (
            <li key={plan}>{plan}</li>
          ))}
        </ul>
      </section>
      {children}
    </>
  );
}
