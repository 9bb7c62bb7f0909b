import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Schemas } from "@/api/client";
import { formatMetric } from "./metrics";

type Bucket = Schemas["UsageHistory"]["buckets"][number];

/** A metric's amount by day, as bars; the table beneath carries the same figures for screen readers. */
export default function UsageChart({
  buckets,
  metric,
  label,
  locale,
}: {
  buckets: Bucket[];
  metric: string;
  label: string;
  locale: string;
}) {
  const day = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", timeZone: "UTC" });
  const data = buckets.map((bucket) => ({
    day: day.format(new Date(`${bucket.start}T00:00:00Z`)),
    value: (bucket.metrics as Record<string, number>)[metric] ?? 0,
  }));
  return (
    <figure className="grid gap-2">
      <div className="h-64 w-full" aria-hidden>
        <ResponsiveContainer width="100%" height="100%">
          {/* No keyboard layer: the chart is hidden from assistive technology, the table below reads it. */}
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid vertical={false} stroke="var(--color-border)" />
            <XAxis dataKey="day" tickLine={false} axisLine={false} fontSize={12} minTickGap={16} />
            <YAxis
              tickLine={false}
              axisLine={false}
              fontSize={12}
              width={56}
              allowDecimals={false}
              tickFormatter={(value: number) => formatMetric(metric, value, locale)}
            />
            <Tooltip
              cursor={{ fill: "var(--color-muted)" }}
              formatter={(value) => [formatMetric(metric, Number(value), locale), label]}
              contentStyle={{
                background: "var(--color-card)",
                border: "1px solid var(--color-border)",
                borderRadius: 8,
              }}
            />
            <Bar dataKey="value" fill="var(--color-primary)" radius={[4, 4, 0, 0]} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="sr-only">
        <table>
          <caption>{label}</caption>
          <tbody>
            {data.map((row) => (
              <tr key={row.day}>
                <th scope="row">{row.day}</th>
                <td>{formatMetric(metric, row.value, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
