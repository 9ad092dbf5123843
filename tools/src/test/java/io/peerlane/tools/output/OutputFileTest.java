package io.peerlane.tools.output;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** OutputFile's commit: all or nothing across outputs, the target's permissions kept, temporaries dropped. */
class OutputFileTest
{
    @TempDir
    Path tmp;

    @Test
    void commitAllWithASecondOutputThatFailsLeavesTheFirstTargetByteIdentical() throws IOException
    {
        final Path full = Path.of("/dev/full");
        assumeTrue(Files.exists(full), "this system has no /dev/full");
        final Path first = tmp.resolve("first.jsonl");
        Files.writeString(first, "the user's old outcomes\n");
        final byte[] before = Files.readAllBytes(first);
        final OutputFile a = OutputFile.create(first);
        final OutputFile b = OutputFile.create(full);
        try (a; b)
        {
            a.writer().write("new outcomes\n");
            // Small enough to stay buffered until the commit, where /dev/full refuses it.
            b.writer().write("new events\n");
            final WriteFailure failure = assertThrows(WriteFailure.class, () -> OutputFile.commitAll(a, null, b));
            assertTrue(failure.getMessage().contains("/dev/full: cannot write: "), failure.getMessage());
        }
        assertArrayEquals(before, Files.readAllBytes(first), "the first output's old file is untouched");
        assertNoTemporary();
    }

    @Test
    void commitAllRenamesEveryOutput() throws IOException
    {
        final Path first = tmp.resolve("a");
        final Path second = tmp.resolve("b");
        Files.writeString(first, "old a\n");
        try (OutputFile a = OutputFile.create(first); OutputFile b = OutputFile.create(second))
        {
            a.writer().write("new a\n");
            b.stream().write("new b\n".getBytes());
            OutputFile.commitAll(a, b);
        }
        assertEquals("new a\n", Files.readString(first));
        assertEquals("new b\n", Files.readString(second));
        assertNoTemporary();
    }

    @Test
    void aReplacedFileKeepsItsPosixPermissions() throws IOException
    {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "no POSIX permissions");
        // Neither 0644 nor 0600 nor 0664: no umask makes a new file come out like this by chance.
        for (final String mode : new String[]{"rw-rw----", "r--r-----"})
        {
            final Path target = tmp.resolve("out-" + mode);
            Files.writeString(target, "old\n");
            final Set<PosixFilePermission> permissions = PosixFilePermissions.fromString(mode);
            Files.setPosixFilePermissions(target, permissions);
            try (OutputFile out = OutputFile.create(target))
            {
                out.writer().write("new\n");
                out.commit();
            }
            assertEquals("new\n", Files.readString(target));
            assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(target)), target.toString());
        }
        assertNoTemporary();
    }

    @Test
    void dropAllDeletesAnOutputDirectorysTemporary() throws IOException
    {
        final Path target = tmp.resolve("journal");
        final OutputDirectory dir = OutputDirectory.create(target);
        try
        {
            final Path temporary = dir.temporary();
            Files.writeString(temporary.resolve("journal-0000000000.seg"), "half a journal");
            assertTrue(Files.isDirectory(temporary));
            OutputFile.dropAll();
            assertFalse(Files.exists(temporary), "the halted run's temporary journal is gone: " + temporary);
            assertFalse(Files.exists(target));
        }
        finally
        {
            dir.close();
        }
        assertNoTemporary();
    }

    private void assertNoTemporary() throws IOException
    {
        try (Stream<Path> files = Files.list(tmp))
        {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary left");
        }
    }
}
