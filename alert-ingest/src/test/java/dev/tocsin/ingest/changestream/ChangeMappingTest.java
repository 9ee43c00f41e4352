package dev.tocsin.ingest.changestream;

import dev.tocsin.protocol.event.ChangeOp;
import org.bson.BsonDocument;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The op mapping on event shapes of a real replica set and of the embedded test server. */
class ChangeMappingTest {

    private static final String ID = new ObjectId().toHexString();

    private static BsonDocument event(String json) {
        return BsonDocument.parse(json.replace("ID", "{\"$oid\": \"" + ID + "\"}"));
    }

    @Test
    void insertIsCreatedKeyedOnFullDocument() {
        MappedChange change = ChangeMapping.map(event("""
                {"_id": {"_data": "01"}, "operationType": "insert", "fullDocument": {"_id": ID, "title": "t"},
                 "documentKey": {"_id": ID}}"""));
        assertEquals(MappedChange.Kind.PUBLISH, change.kind());
        assertEquals(ChangeOp.CREATED, change.op());
        assertEquals(ID, change.alertId());
    }

    @Test
    void updateIsKeyedOnFullDocumentEvenWhenDocumentKeyHoldsTheUpdateSpec() {
        // Embedded server: documentKey carries the update spec, not {_id}.
        MappedChange change = ChangeMapping.map(event("""
                {"_id": {"_data": "02"}, "operationType": "update", "fullDocument": {"_id": ID, "title": "u"},
                 "documentKey": {"$set": {"title": "u"}}}"""));
        assertEquals(ChangeOp.UPDATED, change.op());
        assertEquals(ID, change.alertId());
    }

    @Test
    void replaceIsUpdated() {
        assertEquals(ChangeOp.UPDATED, ChangeMapping.map(event("""
                {"_id": {"_data": "03"}, "operationType": "replace", "fullDocument": {"_id": ID},
                 "documentKey": {"_id": ID}}""")).op());
    }

    @Test
    void updateOfADocumentDeletedSinceIsSkipped() {
        // Replica set: fullDocument null. Embedded server: {}.
        assertEquals(MappedChange.Kind.SKIP, ChangeMapping.map(event("""
                {"_id": {"_data": "04"}, "operationType": "update", "fullDocument": null, "documentKey": {"_id": ID}}""")).kind());
        MappedChange embedded = ChangeMapping.map(event("""
                {"_id": {"_data": "05"}, "operationType": "update", "fullDocument": {}, "documentKey": {"$set": {}}}"""));
        assertEquals(MappedChange.Kind.SKIP, embedded.kind());
        assertEquals("document-gone", embedded.reason());
    }

    @Test
    void deleteIsKeyedOnDocumentKey() {
        MappedChange change = ChangeMapping.map(event("""
                {"_id": {"_data": "06"}, "operationType": "delete", "documentKey": {"_id": ID}}"""));
        assertEquals(ChangeOp.DELETED, change.op());
        assertEquals(ID, change.alertId());
        assertNull(change.fullDocument());
    }

    @Test
    void invalidateReopensAndOtherOperationsAreSkipped() {
        assertEquals(MappedChange.Kind.INVALIDATE, ChangeMapping.map(event("""
                {"_id": {"_data": "07"}, "operationType": "invalidate"}""")).kind());
        assertEquals(MappedChange.Kind.SKIP, ChangeMapping.map(event("""
                {"_id": {"_data": "08"}, "operationType": "drop"}""")).kind());
    }

    @Test
    void changeIdIsTheTokenData() {
        assertEquals("8263A1", ChangeMapping.changeIdOf(BsonDocument.parse("{\"_data\": \"8263A1\"}")));
        assertEquals("{\"x\": 1}", ChangeMapping.changeIdOf(BsonDocument.parse("{\"x\": 1}")));
    }
}
