package io.peerlane.model;

import io.peerlane.state.RegistrySettings;

import java.util.List;

/** TRACE.md's edge cases on the reference model. */
class ReferenceModelEdgeCaseTest extends TraceEdgeCases
{
    @Override
    Subject create(final RegistrySettings settings)
    {
        final ReferenceModel model = new ReferenceModel(settings);
        return new Subject()
        {
            public List<String> apply(final int line, final Op op)
            {
                return model.apply(line, op);
            }

            public List<String> stateLines()
            {
                return model.stateLines();
            }

            public int size()
            {
                return model.size();
            }

            public int tombstoneCount()
            {
                return model.tombstoneCount();
            }

            public long tombstoneVersion(final String idHex)
            {
                return model.tombstoneVersion(idHex);
            }

            public int banCount()
            {
                return model.banCount();
            }

            public int didRateWindowCount()
            {
                return model.didRateWindowCount();
            }

            public long time()
            {
                return model.time();
            }
        };
    }
}
