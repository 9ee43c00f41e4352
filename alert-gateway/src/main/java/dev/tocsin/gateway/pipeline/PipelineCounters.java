package dev.tocsin.gateway.pipeline;

/** What the pipeline counts (metrics), kept apart so the pipeline logic stays plain Java. */
public interface PipelineCounters {

    /** An event that was not delivered because it was delivered already ({@code old_seq}, {@code change_id}). */
    void duplicate(String reason);

    /** Events read from the history to fill a hole. */
    void filled(long events);

    /** Events that were neither received nor in the history. */
    void historyMissed(long events);

    /** The sequence started over with a new epoch. */
    void epochChanged();

    PipelineCounters NONE = new PipelineCounters() {
        @Override
        public void duplicate(String reason) {
        }

        @Override
        public void filled(long events) {
        }

        @Override
        public void historyMissed(long events) {
        }

        @Override
        public void epochChanged() {
        }
    };
}
