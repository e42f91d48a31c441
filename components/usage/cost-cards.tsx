/** Month-to-date and forecast cards, from the dated price table. */
import type { UsageReport } from '@/lib/usage/report-types';

export const usd = (v: number) => (Math.abs(v) < 10 ? `$${v.toFixed(2)}` : `$${Math.round(v).toLocaleString('en-US')}`);

function Card({ title, value, children }: { title: string; value: string; children?: React.ReactNode }) {
  return (
    <section aria-label={title} className="rounded-xl border bg-white p-4 dark:bg-zinc-900">
      <h2 className="text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{title}</h2>
      <p className="mt-1 text-2xl font-semibold tabular-nums">{value}</p>
      {children && <div className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">{children}</div>}
    </section>
  );
}

export function CostCards({ report }: { report: UsageReport }) {
  const { cost, totals } = report;
  return (
    <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
      <Card title="Calls in range" value={totals.calls.toLocaleString('en-US')}>
        {totals.errors.toLocaleString('en-US')} refused ({totals.calls ? ((totals.errors / totals.calls) * 100).toFixed(1) : '0.0'}%)
      </Card>
      {cost ? (
        <>
          <Card title="Month to date" value={usd(cost.monthToDate)}>
            All Regions · free tier {cost.freeRequestsUsed.toLocaleString('en-US')} of {cost.freeRequestsPerMonth.toLocaleString('en-US')} requests used
          </Card>
          <Card title="Forecast this month" value={usd(cost.forecast.expected)}>
            Range {usd(cost.forecast.low)} – {usd(cost.forecast.high)},{' '}
            {cost.forecast.basisDays > 0 ? `from the last ${cost.forecast.basisDays} days` : 'no whole day of history yet'}
          </Card>
          <Card title="Prices" value="USD">
            <a className="underline" href={cost.priceSource} target="_blank" rel="noreferrer">
              AWS KMS pricing
            </a>
            , checked {cost.pricesCheckedOn}
          </Card>
        </>
      ) : (
        <section className="rounded-xl border bg-white p-4 text-sm text-red-700 sm:col-span-1 xl:col-span-3 dark:bg-zinc-900 dark:text-red-400">
          Cost unavailable: {report.costError}
        </section>
      )}
    </div>
  );
}
