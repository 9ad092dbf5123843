package io.peerlane.journal;

/** Every case of {@link JournalRoundTripTest} on journals written in version 1's layout, which this reader still reads. */
class JournalRoundTripV1Test extends JournalRoundTripTest
{
    @Override
    int majorVersion()
    {
        return JournalDescriptor.MAJOR_VERSION_1;
    }
}
