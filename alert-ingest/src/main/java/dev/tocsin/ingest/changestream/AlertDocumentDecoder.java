package dev.tocsin.ingest.changestream;

import com.mongodb.client.MongoClient;
import dev.tocsin.ingest.alert.repository.AlertEntity;
import dev.tocsin.ingest.alert.service.AlertMapper;
import dev.tocsin.protocol.alert.Alert;
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
        AlertEntity entity = codec.decode(new BsonDocumentReader(document), DecoderContext.builder().build());
        return AlertMapper.toAlert(entity);
    }
}
