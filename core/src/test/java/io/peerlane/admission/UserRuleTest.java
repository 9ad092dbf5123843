package io.peerlane.admission;

import io.peerlane.mutation.Batch;
import io.peerlane.outcome.OutcomeCode;
import io.peerlane.peer.IpAddress;
import io.peerlane.peer.PeerRecord;
import io.peerlane.registry.AdmissionRule;
import io.peerlane.registry.RegistrySettings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.peerlane.admission.Records.T0;
import static io.peerlane.admission.Records.at;
import static io.peerlane.admission.Records.id;
import static io.peerlane.admission.Records.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The user's admission rules ({@code EngineContext.admissionRule}): run on the commit thread after the
 * built-in checks, in the order added; the first refusal is REJECTED with the rule's own reason; they see
 * the state as it is, a batch's own earlier ops included; a rule that throws fails closed (RULE_ERROR);
 * every reason is counted in {@code engine.stats()}.
 */
class UserRuleTest
{
    @Test
    void rulesRunInTheOrderAddedAndTheFirstRefusalDecides()
    {
        final List<String> log = new ArrayList<>();
        final AdmissionRule first = (r, current, state) ->
        {
            log.add("first " + r.version());
            return r.version() % 2 == 0 ? "EVEN" : null;
        };
        final AdmissionRule second = (r, current, state) ->
        {
            log.add("second " + r.version());
            return r.version() % 3 == 0 ? "THIRD" : null;
        };
        try (Harness h = Harness.compact(RegistrySettings.defaults(), first, second))
        {
            assertEquals("ADDED", h.upsert(T0, peer(1).version(1).build()).outcome());
            assertEquals("REJECTED EVEN", h.upsert(T0, peer(1).version(6).build()).outcome(), "both refuse 6");
            assertEquals("REJECTED THIRD", h.upsert(T0, peer(1).version(3).build()).outcome());
            assertEquals("UPDATED", h.upsert(T0, peer(1).version(5).build()).outcome());
            assertEquals(List.of("first 1", "second 1", "first 6", "first 3", "second 3", "first 5", "second 5"), log);
        }
    }

    @Test
    void aRuleSeesTheCurrentRecordAndTheStateThroughTheReader()
    {
        final List<String> seen = new ArrayList<>();
        final AdmissionRule probe = (r, current, state) ->
        {
            final IpAddress ip = r.endpoints().isEmpty() ? null : r.endpoints().get(0).ip();
            seen.add("v" + r.version() + " current=" + (null == current ? "none" : "v" + current.version()) +
                " size=" + state.size() + " did=" + state.countByDid(r.did()) +
                " subnet=" + (null == ip ? "-" : state.countInSubnet(ip.subnetKey())) +
                " live=" + (null != state.get(r.id())) + " t=" + (state.time() - T0));
            return null;
        };
        try (Harness h = Harness.compact(RegistrySettings.defaults(), probe))
        {
            h.upsert(T0, at(1, "10.0.0.1:1").build());
            h.upsert(T0 + 5, at(1, "10.0.0.1:1").version(2).build());
            h.upsert(T0 + 7, at(2, "10.0.0.2:1").did("did:test:n1").build());
            h.upsert(T0 + 3, peer(3).build());
            assertEquals(List.of(
                "v1 current=none size=0 did=0 subnet=0 live=false t=0",
                "v2 current=v1 size=1 did=1 subnet=1 live=true t=5",
                "v1 current=none size=1 did=1 subnet=1 live=false t=7",
                "v1 current=none size=2 did=0 subnet=- live=false t=7"), seen,
                "the last op's earlier time was raised to the previous one");
        }
    }

    @Test
    void insideABatchARuleSeesTheBatchsOwnEarlierOps()
    {
        final AdmissionRule atMostTwo = (r, current, state) -> null == current && state.size() >= 2 ? "FULL" : null;
        final AdmissionRule routeKnown = (r, current, state) ->
            null != r.nextHop() && null == state.get(r.nextHop()) ? "NO_ROUTE" : null;
        try (Harness h = Harness.compact(RegistrySettings.defaults(), atMostTwo, routeKnown))
        {
            assertEquals("REJECTED NO_ROUTE", h.upsert(T0, peer(2).nextHop(id(1)).hopCount(1).build()).outcome());
            final Committed routed = h.batch(T0, Batch.builder().upsert(peer(1).build())
                .upsert(peer(2).nextHop(id(1)).hopCount(1).build()).build());
            assertEquals("BATCH_COMMITTED", routed.outcome(), "the hop added earlier in the batch is seen");
            final Committed full = h.batch(T0, Batch.builder().remove(id(2)).upsert(peer(3).build())
                .upsert(peer(4).build()).build());
            assertEquals("BATCH_FAILED FULL op 2", full.outcome(), "the remove and the add before it are seen");
            assertEquals(2, h.engine.view().size());
            assertNull(h.engine.view().get(id(3)));
        }
    }

    @Test
    void aRuleThatThrowsFailsClosedAndTheEngineGoesOn()
    {
        final AdmissionRule broken = (r, current, state) ->
        {
            if (r.device().equals("boom"))
            {
                throw new IllegalStateException("rule bug");
            }
            return null;
        };
        try (Harness h = Harness.compact(RegistrySettings.defaults(), broken))
        {
            assertEquals("REJECTED RULE_ERROR", h.upsert(T0, peer(1).device("boom").build()).outcome());
            assertNull(h.engine.view().get(id(1)));
            final Committed batch = h.batch(T0, Batch.builder().upsert(peer(2).build())
                .upsert(peer(3).device("boom").build()).build());
            assertEquals("BATCH_FAILED RULE_ERROR op 1", batch.outcome());
            assertNull(h.engine.view().get(id(2)), "the batch left nothing");
            assertEquals("ADDED", h.upsert(T0, peer(1).build()).outcome());
            assertEquals(2, h.engine.stats().reasons("RULE_ERROR"));
        }
    }

    @Test
    void refusalsAreCountedPerReasonInTheStats()
    {
        final AdmissionRule asn = (r, current, state) -> r.did().endsWith("7") ? "ASN_LIMIT" : null;
        final AdmissionRule geo = (r, current, state) -> r.device().startsWith("x") ? "GEO_BLOCKED" : null;
        final RegistrySettings settings = RegistrySettings.builder().maxDevicesPerDid(1).build();
        try (Harness h = Harness.compact(settings, asn, geo))
        {
            int asnRefusals = 0;
            int geoRefusals = 0;
            int added = 0;
            for (int n = 1; n <= 100; n++)
            {
                final PeerRecord r = peer(n).device(n % 5 == 0 ? "x" + n : "d" + n).build();
                final String expected = n % 10 == 7 ? "REJECTED ASN_LIMIT" : n % 5 == 0 ? "REJECTED GEO_BLOCKED" : "ADDED";
                assertEquals(expected, h.upsert(T0, r).outcome(), "peer " + n);
                asnRefusals += n % 10 == 7 ? 1 : 0;
                geoRefusals += n % 10 != 7 && n % 5 == 0 ? 1 : 0;
                added += expected.equals("ADDED") ? 1 : 0;
            }
            assertEquals("REJECTED DEVICE_LIMIT", h.upsert(T0, peer(500).did("did:test:n1").build()).outcome());
            assertEquals(asnRefusals, h.engine.stats().reasons("ASN_LIMIT"));
            assertEquals(geoRefusals, h.engine.stats().reasons("GEO_BLOCKED"));
            assertEquals(1, h.engine.stats().reasons("DEVICE_LIMIT"));
            assertEquals(asnRefusals + geoRefusals + 1, h.engine.stats().outcomes(OutcomeCode.REJECTED));
            assertEquals(added, h.engine.stats().outcomes(OutcomeCode.ADDED));
            assertEquals(added, h.engine.view().size());
        }
    }

    @Test
    void aRuleIsAskedAboutUpdatesWithTheLiveRecord()
    {
        final AdmissionRule noDowngrade = (r, current, state) ->
            null != current && r.tier().ordinal() > current.tier().ordinal() ? "NO_DOWNGRADE" : null;
        try (Harness h = Harness.compact(RegistrySettings.defaults(), noDowngrade))
        {
            h.upsert(T0, peer(1).tier(io.peerlane.peer.Tier.TIER2).build());
            assertEquals("REJECTED NO_DOWNGRADE", h.upsert(T0, peer(1).version(2).tier(io.peerlane.peer.Tier.TIER4)
                .build()).outcome());
            assertEquals("UPDATED", h.upsert(T0, peer(1).version(2).tier(io.peerlane.peer.Tier.TIER1).build())
                .outcome());
        }
    }
}
