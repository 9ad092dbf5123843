package io.peerlane.model;

import io.peerlane.mutation.MutationValue;
import io.peerlane.registry.RegistrySettings;

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
            @Override
            public List<String> apply(final int line, final MutationValue op)
            {
                return model.apply(line, op);
            }

            @Override
            public List<String> stateLines()
            {
                return model.stateLines();
            }

            @Override
            public int size()
            {
                return model.size();
            }

            @Override
            public int tombstoneCount()
            {
                return model.tombstoneCount();
            }

            @Override
            public long tombstoneVersion(final String idHex)
            {
                return model.tombstoneVersion(idHex);
            }

            @Override
            public int banCount()
            {
                return model.banCount();
            }

            @Override
            public int didRateWindowCount()
            {
                return model.didRateWindowCount();
            }

            @Override
            public long time()
            {
                return model.time();
            }
        };
    }
}
