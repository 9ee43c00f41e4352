package dev.tocsin.ingest.changestream;

import com.mongodb.client.MongoClient;
import dev.tocsin.ingest.alert.repository.AlertEntity;
import dev.tocsin.ingest.alert.service.AlertMapper;
import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertNote;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.BsonDocument;
import org.bson.BsonDocumentReader;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Turns a changed document into the protocol {@link Alert} through the same entity codec and mapper as the REST
 * API, so an event carries exactly what {@code GET /api/v1/alerts/{id}} returns.
 */
@ApplicationScoped
public class AlertDocumentDecoder {

    private final Codec<AlertEntity> codec;

    public AlertDocumentDecoder(MongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database) {
        this.codec = mongo.getDatabase(database).getCodecRegistry().get(AlertEntity.class);
    }

    /** Throws when the document does not fit the alert shape (written by something other than this service). */
    public Alert decode(BsonDocument document) {
        return decodeChange(document).alert();
    }

    /**
     * The alert, and for a document whose latest write added a note ({@code lastChange} noted) the newest note: the
     * event carries it, the alert never carries notes. The document is the one the change stream looked up after the
     * change; when a later note was written before that lookup, it is that later note (see docs/protocol.md,
     * {@code alert_note}).
     */
    public Decoded decodeChange(BsonDocument document) {
        AlertEntity entity = codec.decode(new BsonDocumentReader(document), DecoderContext.builder().build());
        Alert alert = AlertMapper.toAlert(entity);
        AlertNote note = null;
        if (alert.lastChange() == AlertChange.NOTED && entity.notes != null && !entity.notes.isEmpty()) {
            note = AlertMapper.toNote(entity.notes.get(entity.notes.size() - 1));
        }
        return new Decoded(alert, note);
    }

    /** A changed document as the event carries it. */
    public record Decoded(Alert alert, AlertNote note) {
    }
}
