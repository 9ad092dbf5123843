package io.peerlane.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The self-contained HTML report: the run's parameters, a throughput bar chart, the figures table and one
 * latency-by-percentile chart per metric (each contender's runs added together). Inline SVG and CSS only:
 * no network, no script. Written as well-formed XHTML so a test can parse it with an XML parser.
 */
public final class HtmlReport
{
    private static final double[] PERCENTILES = { 50, 90, 99, 99.9, 99.99 };

    private HtmlReport()
    {
    }

    /**
     * @param title   the page title.
     * @param details lines describing the run (command, workload, machine).
     * @param results the contenders, Peerlane first.
     * @return the page.
     */
    public static String render(final String title, final List<String> details, final List<ContenderResult> results)
    {
        final StringBuilder sb = new StringBuilder(65536);
        sb.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
            .append("<meta charset=\"utf-8\"/>\n<title>").append(escape(title)).append("</title>\n")
            .append("<style>\nbody { font-family: sans-serif; margin: 2em; max-width: 1100px; }\n")
            .append("table { border-collapse: collapse; margin: 1em 0; }\n")
            .append("th, td { border: 1px solid #bbb; padding: 4px 8px; text-align: right; }\n")
            .append("th:first-child, td:first-child { text-align: left; }\n")
            .append(".swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; }\n")
            .append("code { background: #f3f3f3; }\n</style>\n</head>\n<body>\n");
        sb.append("<h1>").append(escape(title)).append("</h1>\n<ul>\n");
        for (final String line : details)
        {
            sb.append("<li>").append(escape(line)).append("</li>\n");
        }
        sb.append("</ul>\n<h2>Throughput</h2>\n").append(SvgCharts.throughput(results));
        sb.append("<table>\n<tr><th>contender</th><th>ops/s median</th><th>min</th><th>max</th><th>vs peerlane</th>")
            .append("<th>CPU µs/op</th><th>alloc B/op</th><th>GC pauses</th><th>GC ms</th><th>B/peer</th><th>runs</th>")
            .append("<th style=\"text-align:left\">what it is</th></tr>\n");
        for (int i = 0; i < results.size(); i++)
        {
            final ContenderResult r = results.get(i);
            final Spread t = r.throughput();
            sb.append("<tr><td><span class=\"swatch\" style=\"background:").append(SvgCharts.color(i)).append("\"></span>")
                .append(escape(r.name())).append("</td><td>").append(Units.rate(t.median())).append("</td><td>")
                .append(Units.rate(t.min())).append("</td><td>").append(Units.rate(t.max())).append("</td><td>")
                .append(Units.ratio(Units.ratioToPeerlane(r, results))).append("</td><td>")
                .append(Units.micros(r.cpuPerOp().median())).append("</td><td>")
                .append(Units.bytes(r.allocBytesPerOp())).append("</td><td>").append(Units.count(r.gcPauses()))
                .append("</td><td>").append(Units.count(r.gcPauseMillis())).append("</td><td>")
                .append(Units.bytes(r.bytesPerPeer())).append("</td><td>").append(r.runs().size())
                .append("</td><td style=\"text-align:left\">").append(escape(r.description())).append("</td></tr>\n");
        }
        sb.append("</table>\n");
        for (final Metric metric : Metric.values())
        {
            final List<String> names = new ArrayList<>();
            final List<Histogram> histograms = new ArrayList<>();
            final List<Integer> colors = new ArrayList<>();
            for (int i = 0; i < results.size(); i++)
            {
                final Histogram h = results.get(i).merged(metric);
                if (null != h)
                {
                    names.add(results.get(i).name());
                    histograms.add(h);
                    colors.add(i);
                }
            }
            if (histograms.isEmpty())
            {
                continue;
            }
            sb.append("<h2>Latency: ").append(escape(metric.title())).append("</h2>\n")
                .append(SvgCharts.percentiles(metric.title() + " latency, all runs", names, histograms, colors));
            sb.append("<table>\n<tr><th>contender</th>");
            for (final double p : PERCENTILES)
            {
                sb.append("<th>p").append(percentileName(p)).append(" µs</th>");
            }
            sb.append("<th>max µs</th><th>count</th></tr>\n");
            for (int s = 0; s < histograms.size(); s++)
            {
                final Histogram h = histograms.get(s);
                sb.append("<tr><td>").append(escape(names.get(s))).append("</td>");
                for (final double p : PERCENTILES)
                {
                    sb.append("<td>").append(Units.micros(h.getValueAtPercentile(p))).append("</td>");
                }
                sb.append("<td>").append(Units.micros(h.getMaxValue())).append("</td><td>")
                    .append(h.getTotalCount()).append("</td></tr>\n");
            }
            sb.append("</table>\n");
        }
        sb.append("<p>CPU, allocation (all threads) and collector pauses are per measured run, medians over runs; ")
            .append("B/peer is the heap the loaded population took, over the number of peers. Latencies are from ")
            .append("each op's send time (its intended time in rate mode) and add every run together; the terminal ")
            .append("table and summary.json give the median over runs. Interval logs (.hlog) beside this file hold ")
            .append("the per-second histograms.</p>\n</body>\n</html>\n");
        return sb.toString();
    }

    /**
     * @param file    where to write.
     * @param title   the page title.
     * @param details lines describing the run.
     * @param results the contenders.
     * @throws IOException when the file cannot be written.
     */
    public static void write(final Path file, final String title, final List<String> details,
        final List<ContenderResult> results) throws IOException
    {
        AtomicFile.write(file, render(title, details, results).getBytes(StandardCharsets.UTF_8));
    }

    private static String percentileName(final double p)
    {
        return p == Math.rint(p) ? Long.toString((long)p) : Double.toString(p);
    }

    /**
     * @param s text.
     * @return it escaped for XML text and attribute values.
     */
    static String escape(final String s)
    {
        final StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '<':
                    sb.append("&lt;");
                    break;
                case '>':
                    sb.append("&gt;");
                    break;
                case '&':
                    sb.append("&amp;");
                    break;
                case '"':
                    sb.append("&quot;");
                    break;
                case '\'':
                    sb.append("&#39;");
                    break;
                default:
                    sb.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
                    break;
            }
        }
        return sb.toString();
    }
}
