package dev.tocsin.ingest.changestream;

import dev.tocsin.protocol.event.ChangeOp;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Maps a raw change stream event to a {@link MappedChange}. Written for both a real replica set and the embedded
 * test server (see STACK.md):
 * <ul>
 *   <li>created/updated are keyed on {@code fullDocument._id}, because the embedded server puts the update spec
 *       into {@code documentKey} of update events;</li>
 *   <li>an update or replace whose looked-up document is gone ({@code null} on a replica set, {@code {}} on the
 *       embedded server) is skipped: the document was deleted since, and that delete event follows;</li>
 *   <li>deletes are keyed on {@code documentKey._id} (there is no full document).</li>
 * </ul>
 */
public final class ChangeMapping {

    private ChangeMapping() {
    }

    public static MappedChange map(BsonDocument event) {
        String operation = event.isString("operationType") ? event.getString("operationType").getValue() : "";
        switch (operation) {
            case "insert", "update", "replace" -> {
                BsonDocument full = event.isDocument("fullDocument") ? event.getDocument("fullDocument") : null;
                String id = full == null ? null : idOf(full.get("_id"));
                if (id == null) {
                    return MappedChange.skip(operation.equals("insert") ? "no-document" : "document-gone");
                }
                return MappedChange.publish(operation.equals("insert") ? ChangeOp.CREATED : ChangeOp.UPDATED, id, full);
            }
            case "delete" -> {
                BsonDocument key = event.isDocument("documentKey") ? event.getDocument("documentKey") : null;
                String id = key == null ? null : idOf(key.get("_id"));
                return id == null ? MappedChange.skip("no-id") : MappedChange.publish(ChangeOp.DELETED, id, null);
            }
            case "invalidate" -> {
                return MappedChange.invalidate();
            }
            default -> {
                // drop, rename, dropDatabase and DDL events say nothing about single alerts.
                return MappedChange.skip("ignored-operation");
            }
        }
    }

    /** Alert ids are ObjectIds (hex on the wire); a string id written by another tool is taken as is. */
    static String idOf(BsonValue id) {
        if (id == null) {
            return null;
        }
        if (id.isObjectId()) {
            return id.asObjectId().getValue().toHexString();
        }
        if (id.isString()) {
            return id.asString().getValue();
        }
        return null;
    }

    /** The change id consumers de-duplicate on: the resume token's {@code _data}, or the whole token as JSON. */
    public static String changeIdOf(BsonDocument resumeToken) {
        BsonValue data = resumeToken.get("_data");
        if (data != null && data.isString()) {
            return data.asString().getValue();
        }
        if (data != null && data.isBinary()) {
            return java.util.HexFormat.of().formatHex(data.asBinary().getData());
        }
        return resumeToken.toJson();
    }
}
