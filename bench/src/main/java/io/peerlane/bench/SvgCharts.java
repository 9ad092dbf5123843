package io.peerlane.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts for the HTML report, drawn by hand so the report needs no network and no script:
 * a throughput bar chart (median bar, min-max whisker) and a latency-by-percentile chart whose percentile
 * axis is logarithmic in {@code 1 / (1 - p)}, as in HdrHistogram's own plots, so the tail gets the room.
 */
final class SvgCharts
{
    static final String[] COLORS = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf" };

    private static final int WIDTH = 760;
    private static final int MAX_NINES = 6;

    private SvgCharts()
    {
    }

    static String color(final int index)
    {
        return COLORS[index % COLORS.length];
    }

    /**
     * @param results the contenders, in report order.
     * @return an SVG element: one horizontal bar per contender.
     */
    static String throughput(final List<ContenderResult> results)
    {
        final int left = 130;
        final int right = 150;
        final int top = 20;
        final int bar = 26;
        final int gap = 12;
        final int height = top + results.size() * (bar + gap) + 40;
        final int plot = WIDTH - left - right;
        double max = 1;
        for (final ContenderResult r : results)
        {
            max = Math.max(max, r.throughput().max());
        }
        final double niceMax = niceCeiling(max);
        final StringBuilder sb = new StringBuilder(4096);
        open(sb, height, "throughput in ops/s, median with min-max over runs");
        for (int tick = 0; tick <= 5; tick++)
        {
            final double v = niceMax * tick / 5;
            final double x = left + plot * v / niceMax;
            line(sb, x, top - 5, x, height - 30, "#ddd");
            text(sb, x, height - 14, "middle", compact(v));
        }
        for (int i = 0; i < results.size(); i++)
        {
            final Spread t = results.get(i).throughput();
            final double y = top + i * (bar + gap);
            text(sb, left - 8, y + bar * 0.65, "end", results.get(i).name());
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                left, y, plot * t.median() / niceMax, bar, color(i)));
            final double x0 = left + plot * t.min() / niceMax;
            final double x1 = left + plot * t.max() / niceMax;
            line(sb, x0, y + bar / 2.0, x1, y + bar / 2.0, "#000");
            line(sb, x0, y + 5, x0, y + bar - 5, "#000");
            line(sb, x1, y + 5, x1, y + bar - 5, "#000");
            text(sb, left + plot * Math.max(t.median(), t.max()) / niceMax + 6, y + bar * 0.65, "start",
                Units.rate(t.median()) + " (" + Units.ratio(Units.ratioToPeerlane(results.get(i), results)) + ")");
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    /**
     * @param title      the chart's title.
     * @param names      one name per series.
     * @param histograms one histogram (ns) per series; null ones are left out.
     * @param colors     one color index per series.
     * @return an SVG element: latency (log scale) by percentile (log scale of 1/(1-p)).
     */
    static String percentiles(
        final String title, final List<String> names, final List<Histogram> histograms, final List<Integer> colors)
    {
        final int left = 70;
        final int right = 160;
        final int top = 30;
        final int bottom = 50;
        final int height = 380;
        final int plotW = WIDTH - left - right;
        final int plotH = height - top - bottom;
        double minUs = Double.MAX_VALUE;
        double maxUs = 0;
        double maxX = 2;
        for (final Histogram h : histograms)
        {
            if (null == h)
            {
                continue;
            }
            minUs = Math.min(minUs, Math.max(0.01, h.getMinNonZeroValue() / 1000.0));
            maxUs = Math.max(maxUs, h.getMaxValue() / 1000.0);
            maxX = Math.max(maxX, Math.min(MAX_NINES, Math.ceil(Math.log10(Math.max(1, h.getTotalCount())))));
        }
        if (maxUs == 0)
        {
            minUs = 0.1;
            maxUs = 1;
        }
        final double yLo = Math.floor(Math.log10(minUs));
        final double yHi = Math.max(yLo + 1, Math.ceil(Math.log10(maxUs)));
        final StringBuilder sb = new StringBuilder(16384);
        open(sb, height, title);
        text(sb, left + plotW / 2.0, 18, "middle", title);
        for (int nines = 0; nines <= maxX; nines++)
        {
            final double x = left + plotW * nines / maxX;
            line(sb, x, top, x, top + plotH, "#ddd");
            text(sb, x, top + plotH + 18, "middle", percentileLabel(nines));
        }
        text(sb, left + plotW / 2.0, height - 8, "middle", "percentile");
        for (double e = yLo; e <= yHi; e++)
        {
            final double y = top + plotH - plotH * (e - yLo) / (yHi - yLo);
            line(sb, left, y, left + plotW, y, "#ddd");
            text(sb, left - 6, y + 4, "end", microsLabel(e));
        }
        sb.append(String.format(Locale.ROOT,
            "<text x=\"14\" y=\"%.1f\" transform=\"rotate(-90 14 %.1f)\" text-anchor=\"middle\">latency, µs</text>%n",
            top + plotH / 2.0, top + plotH / 2.0));
        int legend = 0;
        for (int s = 0; s < histograms.size(); s++)
        {
            final Histogram h = histograms.get(s);
            if (null == h)
            {
                continue;
            }
            final String color = color(colors.get(s));
            sb.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(color).append("\" points=\"");
            for (final HistogramIterationValue v : h.percentiles(5))
            {
                final double p = v.getPercentileLevelIteratedTo() / 100.0;
                if (p >= 1.0)
                {
                    break;
                }
                final double xv = Math.min(maxX, Math.log10(1.0 / (1.0 - p)));
                final double us = Math.max(Math.pow(10, yLo), v.getValueIteratedTo() / 1000.0);
                final double x = left + plotW * xv / maxX;
                final double y = top + plotH - plotH * (Math.log10(us) - yLo) / (yHi - yLo);
                sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            sb.append("\"/>\n");
            final double ly = top + 10 + legend * 20;
            line(sb, left + plotW + 12, ly, left + plotW + 36, ly, color);
            text(sb, left + plotW + 42, ly + 4, "start", names.get(s));
            legend++;
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    static String percentileLabel(final int nines)
    {
        if (nines == 0)
        {
            return "0%";
        }
        if (nines == 1)
        {
            return "90%";
        }
        return "99" + (nines > 2 ? "." + "9".repeat(nines - 2) : "") + "%";
    }

    private static String microsLabel(final double exponent)
    {
        final double v = Math.pow(10, exponent);
        return v >= 1 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%s", v);
    }

    private static void open(final StringBuilder sb, final int height, final String label)
    {
        sb.append(String.format(Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" " +
            "role=\"img\" aria-label=\"%s\" font-family=\"sans-serif\" font-size=\"12\">%n",
            WIDTH, height, WIDTH, height, HtmlReport.escape(label)));
    }

    private static void line(final StringBuilder sb, final double x0, final double y0, final double x1, final double y1,
        final String color)
    {
        sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
            x0, y0, x1, y1, color));
    }

    private static void text(final StringBuilder sb, final double x, final double y, final String anchor, final String s)
    {
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>%n",
            x, y, anchor, HtmlReport.escape(s)));
    }

    private static double niceCeiling(final double v)
    {
        final double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (final double step : new double[]{ 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= v)
            {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String compact(final double v)
    {
        if (v >= 1e6)
        {
            return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        }
        if (v >= 1e3)
        {
            return String.format(Locale.ROOT, "%.0fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
