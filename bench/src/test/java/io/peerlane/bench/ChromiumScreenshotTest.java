package io.peerlane.bench;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Renders a small report in headless Chromium, when there is one, and checks a screenshot came out. */
class ChromiumScreenshotTest
{
    private static final byte[] PNG_SIGNATURE = { (byte)0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

    @Test
    void headlessChromiumRendersTheReport(@TempDir final Path dir) throws Exception
    {
        final String chromium = findChromium();
        Assumptions.assumeTrue(null != chromium,
            "chromium not installed: no /usr/bin/chromium and no chromium or chromium-browser on PATH; the report's " +
            "structure is still checked by HtmlReportTest");
        final Path report = dir.resolve("report.html");
        HtmlReport.write(report, "Peerlane bench", List.of("screenshot test"), SampleResults.all(3));
        final Path png = dir.resolve("report.png");
        final Path profile = Files.createDirectory(dir.resolve("profile"));
        final Process process = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--user-data-dir=" + profile, "--window-size=1200,2400", "--screenshot=" + png,
            report.toUri().toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("chromium.log").toFile())
            .start();
        if (!process.waitFor(120, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            fail("chromium did not finish within 120 s; log: " + Files.readString(dir.resolve("chromium.log")));
        }
        assertEquals(0, process.exitValue(), "chromium exit code; log: " + Files.readString(dir.resolve("chromium.log")));
        assertTrue(Files.isRegularFile(png), "no screenshot written; log: " + Files.readString(dir.resolve("chromium.log")));
        final byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 1000, "screenshot of " + bytes.length + " bytes");
        final byte[] head = new byte[PNG_SIGNATURE.length];
        System.arraycopy(bytes, 0, head, 0, head.length);
        assertArrayEquals(PNG_SIGNATURE, head, "a PNG");
    }

    private static String findChromium()
    {
        if (Files.isExecutable(Path.of("/usr/bin/chromium")))
        {
            return "/usr/bin/chromium";
        }
        final String path = System.getenv("PATH");
        if (null == path)
        {
            return null;
        }
        for (final String name : List.of("chromium", "chromium-browser"))
        {
            for (final String dir : path.split(File.pathSeparator))
            {
                final Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate))
                {
                    return candidate.toString();
                }
            }
        }
        return null;
    }
}
