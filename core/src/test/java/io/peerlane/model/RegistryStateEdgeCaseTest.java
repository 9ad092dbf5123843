package io.peerlane.model;

import io.peerlane.peer.NodeId;
import io.peerlane.state.CommitResult;
import io.peerlane.state.RegistrySettings;
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
            public List<String> apply(final int line, final Op op)
            {
                state.commit(op, line, result);
                return CommitLines.of(line, result);
            }

            public List<String> stateLines()
            {
                return CommitLines.state(state.view());
            }

            public int size()
            {
                return state.view().size();
            }

            public int tombstoneCount()
            {
                return state.tombstoneCount();
            }

            public long tombstoneVersion(final String idHex)
            {
                return state.tombstoneVersion(NodeId.fromHex(idHex));
            }

            public int banCount()
            {
                return state.banCount();
            }

            public int didRateWindowCount()
            {
                return state.rateWindowCount();
            }

            public long time()
            {
                return state.time();
            }
        };
    }
}
