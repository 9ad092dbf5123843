package io.peerlane.engine;

import io.peerlane.mutation.Mutation;
import io.peerlane.state.CommitResult;

/**
 * Called on the commit stage's thread after each mutation is decided, in commit order: for tools that
 * record every outcome (the replay tool, tests against a sequential model). It runs on the single
 * writer's thread, so it must be quick; it must not call back into the engine's publishing methods.
 */
@FunctionalInterface
public interface OutcomeListener
{
    /**
     * @param sequence the mutation's ring sequence.
     * @param mutation the mutation, valid only during the call.
     * @param result   the outcome and changes, valid only during the call.
     */
    void onCommit(long sequence, Mutation mutation, CommitResult result);
}
