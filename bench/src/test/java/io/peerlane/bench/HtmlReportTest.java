package io.peerlane.bench;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportTest
{
    @Test
    void reportIsWellFormedSelfContainedAndNamesEveryContender() throws Exception
    {
        final List<ContenderResult> results = SampleResults.all(11);
        final String html = HtmlReport.render("Peerlane bench <test>", List.of("command: peerlane bench --ops 5 & more"),
            results);
        final Document doc = parse(html);

        assertFalse(html.toLowerCase().contains("<script"), "no script");
        assertFalse(html.contains("src=") || html.contains("href="), "no external resource");
        final NodeList svgs = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg");
        assertEquals(1 + Metric.values().length, svgs.getLength(), "a throughput chart and one chart per metric");

        final List<String> throughputLabels = texts((Element)svgs.item(0));
        for (final ContenderResult r : results)
        {
            assertTrue(throughputLabels.contains(r.name()), r.name() + " in the throughput chart: " + throughputLabels);
        }
        for (int chart = 1; chart < svgs.getLength(); chart++)
        {
            final Element svg = (Element)svgs.item(chart);
            final List<String> labels = texts(svg);
            final int lines = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline").getLength();
            final boolean observerChart = labels.get(0).startsWith(Metric.OBSERVER.title());
            assertEquals(observerChart ? results.size() - 1 : results.size(), lines, labels.get(0));
            for (final ContenderResult r : results)
            {
                if (observerChart && r.name().equals(ContenderKind.DISRUPTOR_RAW.cliName()))
                {
                    assertFalse(labels.contains(r.name()), "the raw ring has no observers");
                    continue;
                }
                assertTrue(labels.contains(r.name()), r.name() + " in " + labels.get(0));
            }
            for (final String tick : List.of("0%", "90%", "99%", "99.9%"))
            {
                assertTrue(labels.contains(tick), "percentile axis tick " + tick + " in " + labels);
            }
        }
        assertTrue(html.contains("&lt;&amp;&quot;&#39;&gt;"), "descriptions are escaped");
        assertTrue(html.contains("1.00x"), "Peerlane's own ratio");
        for (final String column : new String[]{ "CPU µs/op", "alloc B/op", "GC pauses", "GC ms", "B/peer", "p99.99 µs", "max µs" })
        {
            assertTrue(html.contains("<th>" + column + "</th>"), column + " column");
        }
    }

    @Test
    void percentileLabelsFollowTheNines()
    {
        assertEquals("0%", SvgCharts.percentileLabel(0));
        assertEquals("90%", SvgCharts.percentileLabel(1));
        assertEquals("99%", SvgCharts.percentileLabel(2));
        assertEquals("99.9%", SvgCharts.percentileLabel(3));
        assertEquals("99.9999%", SvgCharts.percentileLabel(6));
    }

    static Document parse(final String html) throws Exception
    {
        final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(html)));
    }

    private static List<String> texts(final Element svg)
    {
        final NodeList nodes = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        final List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++)
        {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }
}
