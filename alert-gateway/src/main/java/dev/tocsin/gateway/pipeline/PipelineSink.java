package dev.tocsin.gateway.pipeline;

import dev.tocsin.protocol.event.AlertEvent;

/** Where the ordered pipeline hands events, exactly once and in sequence order. */
public interface PipelineSink {

    /** The next event in sequence. */
    void deliver(AlertEvent event);

    /** Events {@code fromSeq..toSeq} of {@code epoch} were neither received nor found in the history: they are lost. */
    void missed(String epoch, long fromSeq, long toSeq);
}
