package io.peerlane.subsystem.validator;

import io.peerlane.peer.NodeId;
import io.peerlane.peer.PublicKey;

import java.util.Comparator;
import java.util.Objects;

/** One validator as a {@link ValidatorSet} view shows it: its id, its key and its voting power. Immutable. */
public final class Validator
{
    /** Id order: the order of {@link ValidatorSet#validators()}. */
    public static final Comparator<Validator> BY_ID = (a, b) -> a.id.compareTo(b.id);
    /** Power descending, then id ascending: the order consensus code proposes in, {@link ValidatorSet#byPower()}. */
    public static final Comparator<Validator> BY_POWER = (a, b) ->
    {
        final int c = Long.compare(b.votingPower, a.votingPower);
        return 0 != c ? c : a.id.compareTo(b.id);
    };

    private final NodeId id;
    private final PublicKey publicKey;
    private final long votingPower;

    Validator(final NodeId id, final PublicKey publicKey, final long votingPower)
    {
        this.id = id;
        this.publicKey = publicKey;
        this.votingPower = votingPower;
    }

    /** @return the validator's node id. */
    public NodeId id()
    {
        return id;
    }

    /** @return its public key. */
    public PublicKey publicKey()
    {
        return publicKey;
    }

    /** @return its voting power, at least 0. */
    public long votingPower()
    {
        return votingPower;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof Validator))
        {
            return false;
        }
        final Validator v = (Validator)o;
        return votingPower == v.votingPower && id.equals(v.id) && publicKey.equals(v.publicKey);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(id, publicKey, votingPower);
    }

    @Override
    public String toString()
    {
        return "Validator{id=" + id + ", power=" + votingPower + "}";
    }
}
