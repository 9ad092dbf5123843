package io.peerlane.model;

import io.peerlane.mutation.MutationValue;
import io.peerlane.peer.NodeId;
import io.peerlane.registry.RegistrySettings;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistryState;

import java.util.List;

/** TRACE.md's edge cases on RegistryState, the production rules, read through {@link CommitLines}. */
class RegistryStateEdgeCaseTest extends TraceEdgeCases
{
    @Override
    Subject create(final RegistrySettings settings)
    {
        final RegistryState state = new RegistryState(settings, List.of());
        final CommitResult result = new CommitResult();
        return new Subject()
        {
            @Override
            public List<String> apply(final int line, final MutationValue op)
            {
                state.commit(op, line, result);
                return CommitLines.of(line, result);
            }

            @Override
            public List<String> stateLines()
            {
                return CommitLines.state(state.view());
            }

            @Override
            public int size()
            {
                return state.view().size();
            }

            @Override
            public int tombstoneCount()
            {
                return state.tombstoneCount();
            }

            @Override
            public long tombstoneVersion(final String idHex)
            {
                return state.tombstoneVersion(NodeId.fromHex(idHex));
            }

            @Override
            public int banCount()
            {
                return state.banCount();
            }

            @Override
            public int didRateWindowCount()
            {
                return state.rateWindowCount();
            }

            @Override
            public long time()
            {
                return state.time();
            }
        };
    }
}
