package dev.tocsin.ingest.changestream;

import java.util.Optional;

/** Where the tailer keeps its position between runs: {@link ResumeTokenStore} (MongoDB), or a test's own. */
public interface PositionStore {

    Optional<StoredPosition> load(String streamId);

    void save(String streamId, StoredPosition position);
}
