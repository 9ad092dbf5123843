package io.peerlane.journal;

/**
 * Every case of {@link JournalCorruptionTest} on a journal written in version 1's layout (fixed offsets), which
 * this reader still reads: damage there is found as before version 2 existed.
 */
class JournalCorruptionV1Test extends JournalCorruptionTest
{
    @Override
    int majorVersion()
    {
        return JournalDescriptor.MAJOR_VERSION_1;
    }
}
