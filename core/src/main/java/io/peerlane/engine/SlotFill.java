package io.peerlane.engine;

import io.peerlane.mutation.Ban;
import io.peerlane.mutation.Batch;
import io.peerlane.peer.NodeId;
import io.peerlane.peer.PeerRecord;

/**
 * Copies one kind of input into a claimed slot, the Disruptor's translator in the shape the engine needs:
 * {@link RingPublisher} claims, calls the fill and publishes (or cancels) in one method for every kind and
 * every publish mode. The constants are stateless, made once, so a publish allocates nothing, and a fill only
 * stores references and primitives: it runs no user code and cannot fail half way.
 *
 * @param <A> the input: a record, an id, a batch, a ban, a control event.
 */
@FunctionalInterface
interface SlotFill<A>
{
    SlotFill<PeerRecord> UPSERT = (slot, record, unused) -> slot.upsert(record);
    SlotFill<NodeId> REMOVE = (slot, id, unused) -> slot.remove(id);
    SlotFill<NodeId> TOUCH = MutationEvent::touch;
    SlotFill<Batch> BATCH = (slot, batch, unused) -> slot.batch(batch);
    SlotFill<Void> TICK = (slot, none, unused) -> slot.tick();
    SlotFill<Ban> BAN = (slot, ban, unused) -> slot.ban(ban);
    SlotFill<Ban> UNBAN = (slot, ban, unused) -> slot.unban(ban);
    SlotFill<MutationCopy> MUTATION = (slot, copy, unused) -> slot.copy(copy);
    SlotFill<ControlEvent> CONTROL = (slot, control, unused) -> slot.control(control);

    /**
     * @param slot  the claimed slot.
     * @param input the kind's input.
     * @param value the kind's number, if it has one (a touch's {@code lastSeen}), else 0.
     */
    void fill(MutationEvent slot, A input, long value);
}
