package dev.tocsin.gateway.pipeline;

import dev.tocsin.gateway.clock.ManualTimers;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.event.ChangeOp;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ordering logic on its own (plain JUnit): an in-memory history stands in for the Redis stream, answering either
 * at once or when the test releases the answer, which shows what happens to events arriving during a history read.
 */
class OrderedEventPipelineTest {

    /** An in-memory history with the stream's semantics: entries by seq, trimmed ones absent. */
    static final class History implements EventHistory {
        final TreeMap<Long, AlertEvent> entries = new TreeMap<>();
        String epoch;
        boolean deferred;
        final List<Runnable> pendingAnswers = new ArrayList<>();
        int reads;

        void add(AlertEvent event) {
            entries.put(event.seq(), event);
            epoch = event.epoch();
        }

        @Override
        public Uni<List<AlertEvent>> range(long fromSeq, long toSeq) {
            reads++;
            List<AlertEvent> found = new ArrayList<>(entries.subMap(fromSeq, true, toSeq, true).values());
            if (!deferred) {
                return Uni.createFrom().item(found);
            }
            CompletableFuture<List<AlertEvent>> answer = new CompletableFuture<>();
            pendingAnswers.add(() -> answer.complete(found));
            return Uni.createFrom().completionStage(answer);
        }

        @Override
        public Uni<Tail> tail() {
            return Uni.createFrom().item(new Tail(epoch, entries.isEmpty() ? null : entries.lastKey()));
        }

        @Override
        public Uni<Long> oldestSeq() {
            return Uni.createFrom().item(entries.isEmpty() ? null : entries.firstKey());
        }

        void answerAll() {
            List<Runnable> answers = new ArrayList<>(pendingAnswers);
            pendingAnswers.clear();
            answers.forEach(Runnable::run);
        }
    }

    static final class Sink implements PipelineSink {
        final List<Long> delivered = new ArrayList<>();
        final List<String> missed = new ArrayList<>();

        @Override
        public void deliver(AlertEvent event) {
            delivered.add(event.seq());
        }

        @Override
        public void missed(String epoch, long fromSeq, long toSeq) {
            missed.add(fromSeq + ".." + toSeq);
        }
    }

    static final class Counters implements PipelineCounters {
        final List<String> duplicates = new ArrayList<>();
        long filled;
        long misses;
        int epochChanges;

        @Override
        public void duplicate(String reason) {
            duplicates.add(reason);
        }

        @Override
        public void filled(long events) {
            filled += events;
        }

        @Override
        public void historyMissed(long events) {
            misses += events;
        }

        @Override
        public void epochChanged() {
            epochChanges++;
        }
    }

    final History history = new History();
    final Sink sink = new Sink();
    final Counters counters = new Counters();
    final ManualTimers timers = new ManualTimers();
    final OrderedEventPipeline pipeline = new OrderedEventPipeline(history, sink, counters,
            timers, 100, 8, 1L << 20, 10, 100);

    static AlertEvent event(String epoch, long seq) {
        return event(epoch, seq, "change-" + epoch + "-" + seq);
    }

    static AlertEvent event(String epoch, long seq, String changeId) {
        return new AlertEvent(epoch, seq, ChangeOp.DELETED, "alert-" + seq, null, changeId, Instant.now());
    }

    /** Publishes like alert-ingest: to the history, and (unless lost) to the pipeline. */
    AlertEvent publish(String epoch, long seq, boolean received) {
        AlertEvent event = event(epoch, seq);
        history.add(event);
        if (received) {
            pipeline.offer(event);
        }
        return event;
    }

    @Test
    void startsAtTheTailOnStartupAndDeliversInOrder() {
        publish("e1", 1, false);
        publish("e1", 2, false);
        pipeline.subscribed();
        assertEquals(new Position("e1", 2), pipeline.position());
        assertEquals(List.of(), sink.delivered, "no replay to nobody at startup");
        publish("e1", 3, true);
        publish("e1", 4, true);
        assertEquals(List.of(3L, 4L), sink.delivered);
    }

    @Test
    void startsWithTheFirstEventWhenNothingWasPublishedYet() {
        pipeline.subscribed();
        assertEquals(Position.NONE, pipeline.position());
        publish("e1", 41, true); // a sequence continued from ingest's own store after Redis lost everything
        publish("e1", 42, true);
        assertEquals(List.of(41L, 42L), sink.delivered);
        assertEquals(0, counters.misses);
    }

    @Test
    void fillsAHoleFromTheHistoryBeforeNewerEvents() {
        pipeline.subscribed();
        publish("e1", 1, true);
        publish("e1", 2, false);
        publish("e1", 3, false);
        publish("e1", 4, true);
        assertEquals(List.of(1L, 2L, 3L, 4L), sink.delivered);
        assertEquals(2, counters.filled);
        assertEquals(0, counters.misses);
    }

    @Test
    void eventsArrivingDuringAFillWaitAndFollowInOrder() {
        pipeline.subscribed();
        publish("e1", 1, true);
        history.deferred = true;
        publish("e1", 2, false);
        publish("e1", 3, true); // hole: 2 is read from the history, the answer is pending
        publish("e1", 4, true);
        publish("e1", 5, true);
        assertEquals(List.of(1L), sink.delivered);
        assertTrue(pipeline.catchingUp());
        history.answerAll();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), sink.delivered);
    }

    @Test
    void duplicatesAndOldSequenceNumbersAreDropped() {
        pipeline.subscribed();
        AlertEvent first = publish("e1", 1, true);
        publish("e1", 2, true);
        pipeline.offer(first); // the same event again: its change id was just delivered
        pipeline.offer(event("e1", 1, "another-change")); // an old seq under another change id
        pipeline.offer(event("e1", 3, first.changeId())); // a replay of the same change under a new seq
        publish("e1", 4, false);
        assertEquals(List.of(1L, 2L), sink.delivered);
        assertEquals(List.of("change_id", "old_seq", "change_id"), counters.duplicates);
    }

    @Test
    void aReplayUnderTheNextSeqTakesThatPositionWithoutAHistoryRead() {
        pipeline.subscribed();
        AlertEvent first = publish("e1", 1, true);
        AlertEvent replay = event("e1", 2, first.changeId()); // ingest published change 1 again after a crash
        history.add(replay);
        pipeline.offer(replay);
        int readsBefore = history.reads;
        publish("e1", 3, true);
        assertEquals(List.of(1L, 3L), sink.delivered);
        assertEquals(new Position("e1", 3), pipeline.position());
        assertEquals(readsBefore, history.reads, "seq 2 was seen, so 3 follows it without reading the history");
        assertEquals(List.of("change_id"), counters.duplicates);
        assertEquals(0, counters.misses);
    }

    @Test
    void trimmedEntriesAreReportedAsMissedAndDeliveryGoesOn() {
        pipeline.subscribed();
        publish("e1", 1, true);
        publish("e1", 2, false);
        publish("e1", 3, false);
        history.entries.remove(2L); // trimmed
        publish("e1", 4, true);
        assertEquals(List.of(1L, 3L, 4L), sink.delivered);
        assertEquals(List.of("2..2"), sink.missed);
        assertEquals(1, counters.misses);
    }

    @Test
    void catchesUpAfterResubscribingWithoutDuplicates() {
        pipeline.subscribed();
        publish("e1", 1, true);
        history.deferred = true;
        // the subscription was down: 2 and 3 only reached the history
        publish("e1", 2, false);
        publish("e1", 3, false);
        pipeline.subscribed(); // catch-up reads 2..3; meanwhile live 4 arrives, and 3 again (a late duplicate)
        publish("e1", 4, true);
        pipeline.offer(event("e1", 3));
        history.answerAll();
        assertEquals(List.of(1L, 2L, 3L, 4L), sink.delivered);
        assertEquals(List.of("change_id"), counters.duplicates);
    }

    @Test
    void aNewEpochResetsThePositionAndDeliversItsHistoryFirst() {
        pipeline.subscribed();
        publish("e1", 1, true);
        publish("e1", 2, true);
        history.entries.clear(); // Redis lost everything; ingest starts a new sequence
        publish("e2", 1, false);
        publish("e2", 2, true);
        assertEquals(List.of(1L, 2L, 1L, 2L), sink.delivered);
        assertEquals(new Position("e2", 2), pipeline.position());
        assertEquals(1, counters.epochChanges);
    }

    @Test
    void aFailedHistoryReadIsRetried() {
        EventHistory failingOnce = new EventHistory() {
            int calls;

            @Override
            public Uni<List<AlertEvent>> range(long fromSeq, long toSeq) {
                return calls++ == 0 ? Uni.createFrom().failure(new IllegalStateException("redis down"))
                        : history.range(fromSeq, toSeq);
            }

            @Override
            public Uni<Tail> tail() {
                return history.tail();
            }

            @Override
            public Uni<Long> oldestSeq() {
                return history.oldestSeq();
            }
        };
        OrderedEventPipeline retrying = new OrderedEventPipeline(failingOnce, sink, counters,
                timers, 100, 8, 1L << 20, 10, 100);
        retrying.subscribed();
        history.add(event("e1", 1));
        retrying.offer(event("e1", 1));
        history.add(event("e1", 2));
        history.add(event("e1", 3));
        retrying.offer(event("e1", 3));
        assertEquals(List.of(1L), sink.delivered);
        assertEquals(1, timers.pending());
        timers.runNext();
        assertEquals(List.of(1L, 2L, 3L), sink.delivered);
    }

    private static final Instant LONG_AGO = Instant.EPOCH;

    private List<Long> recentSeqs(String epoch, long from, long to) {
        List<AlertEvent> events = pipeline.recent(epoch, from, to, LONG_AGO);
        return events == null ? null : events.stream().map(AlertEvent::seq).toList();
    }

    @Test
    void recentEventsAnswerARangeAsTheHistoryHoldsItIncludingFilledEventsAndDroppedReplays() {
        pipeline.subscribed();
        AlertEvent first = publish("e1", 1, true);
        publish("e1", 2, false);
        publish("e1", 3, true); // 2 is filled from the history
        AlertEvent replay = event("e1", 4, first.changeId()); // dropped by change id, but a history entry at 4
        history.add(replay);
        pipeline.offer(replay);
        publish("e1", 5, true);
        assertEquals(List.of(1L, 2L, 3L, 5L), sink.delivered);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), recentSeqs("e1", 1, 5));
        assertEquals(List.of(2L, 3L), recentSeqs("e1", 2, 3));
        assertEquals(null, recentSeqs("e1", 4, 6), "not delivered yet");
        assertEquals(null, recentSeqs("e2", 1, 5), "another epoch");
    }

    @Test
    void recentEventsKeepTheNewestOnlyAndNothingOlderThanAsked() {
        pipeline.subscribed();
        for (long seq = 1; seq <= 12; seq++) {
            publish("e1", seq, true);
        }
        assertEquals(null, recentSeqs("e1", 4, 12), "8 are kept: 5..12");
        assertEquals(List.of(5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L), recentSeqs("e1", 5, 12));
        assertEquals(null, pipeline.recent("e1", 5, 12, Instant.now().plusSeconds(60)),
                "published before the window's age bound: read the history instead");
    }

    @Test
    void aHoleTheHistoryCouldNotFillOrANewEpochStartsTheRecentEventsOver() {
        pipeline.subscribed();
        publish("e1", 1, true);
        publish("e1", 2, true);
        publish("e1", 3, false);
        history.entries.remove(3L); // trimmed before the gateway read it
        publish("e1", 4, true);
        assertEquals(1, counters.misses);
        assertEquals(null, recentSeqs("e1", 2, 4), "3 is a hole: no range across it");
        assertEquals(null, recentSeqs("e1", 3, 4));
        publish("e1", 5, true);
        assertEquals(List.of(4L, 5L), recentSeqs("e1", 4, 5));

        publish("e2", 1, true); // the sequence started over
        assertEquals(null, recentSeqs("e1", 4, 5));
        assertEquals(List.of(1L), recentSeqs("e2", 1, 1));
    }
}
