package dev.tocsin.ingest.changestream;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.ConnectionString;
import com.mongodb.event.CommandListener;
import dev.tocsin.ingest.config.IngestConfig;
import dev.tocsin.protocol.event.AlertEvent;
import dev.tocsin.protocol.json.Json;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import org.bson.codecs.configuration.CodecRegistries;
import org.bson.codecs.pojo.PojoCodecProvider;
import org.eclipse.microprofile.context.spi.ContextManagerProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Real clients for plain JUnit tests of the change stream parts (no Quarkus application). */
final class LocalParts {

    private LocalParts() {
    }

    /** The service's config mapping with its defaults, plus overrides. */
    static IngestConfig config(Map<String, String> overrides) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(IngestConfig.class)
                // Quarkus' own converter, so "200ms" and "30s" read as they do in the application.
                .withConverter(Duration.class, 200, new DurationConverter())
                .withDefaultValues(overrides)
                .build();
        return config.getConfigMapping(IngestConfig.class);
    }

    /** A blocking client whose codecs decode the Panache entity like Quarkus' client does. */
    static MongoClient mongo(String connectionString, CommandListener... listeners) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(connectionString))
                .commandListenerList(List.of(listeners))
                .codecRegistry(CodecRegistries.fromRegistries(MongoClientSettings.getDefaultCodecRegistry(),
                        CodecRegistries.fromProviders(PojoCodecProvider.builder().automatic(true).build())))
                .build());
    }

    static Redis redis(Vertx vertx, String uri) {
        // Every Mutiny call looks the context-propagation provider up, lazily and without a lock: two threads doing it
        // first at once (the tailer publishing, a test polling the history) make one fail with "ContextManagerProvider
        // already set". Quarkus registers the provider at boot; these tests have no Quarkus application, so it is
        // looked up here, on the thread that sets the parts up, before any of them runs.
        ContextManagerProvider.instance();
        return Redis.createClient(vertx, uri);
    }

    /** The history stream's events, oldest first. */
    static List<AlertEvent> history(Redis redis, String key) {
        Response response = redis.send(Request.cmd(Command.XRANGE).arg(key).arg("-").arg("+"))
                .await().atMost(Duration.ofSeconds(5));
        List<AlertEvent> events = new ArrayList<>();
        for (int i = 0; i < response.size(); i++) {
            Response fields = response.get(i).get(1);
            for (int f = 0; f + 1 < fields.size(); f += 2) {
                if (fields.get(f).toString().equals("event")) {
                    AlertEvent event = Json.decode(fields.get(f + 1).toString(), AlertEvent.class);
                    events.add(event);
                }
            }
        }
        return events;
    }
}
