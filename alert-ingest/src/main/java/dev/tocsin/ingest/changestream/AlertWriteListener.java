package dev.tocsin.ingest.changestream;

import com.mongodb.event.CommandFailedEvent;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.event.CommandSucceededEvent;
import dev.tocsin.ingest.alert.repository.AlertEntity;
import jakarta.inject.Singleton;
import org.bson.BsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches this process's MongoDB commands (the Quarkus client registers every {@link CommandListener} bean) and
 * raises {@link AlertWriteSignal} when a write to {@code alerts} succeeded. Whatever path wrote the alert (REST,
 * commands, expiry), the tailer hears of it without each path having to remember to say so. A command's
 * collection is known only when it starts, so started writes to {@code alerts} are remembered by request id until
 * they end.
 */
@Singleton
public class AlertWriteListener implements CommandListener {

    private static final Set<String> WRITE_COMMANDS = Set.of("insert", "update", "findAndModify", "delete");

    private final AlertWriteSignal signal;
    private final String database;
    private final Set<Integer> alertWritesInFlight = ConcurrentHashMap.newKeySet();

    public AlertWriteListener(AlertWriteSignal signal,
            @ConfigProperty(name = "quarkus.mongodb.database") String database) {
        this.signal = signal;
        this.database = database;
    }

    @Override
    public void commandStarted(CommandStartedEvent event) {
        String command = event.getCommandName();
        if (!WRITE_COMMANDS.contains(command) || !database.equals(event.getDatabaseName())) {
            return;
        }
        BsonValue collection = event.getCommand().get(command);
        if (collection != null && collection.isString()
                && AlertEntity.COLLECTION.equals(collection.asString().getValue())) {
            alertWritesInFlight.add(event.getRequestId());
        }
    }

    @Override
    public void commandSucceeded(CommandSucceededEvent event) {
        if (alertWritesInFlight.remove(event.getRequestId())) {
            signal.written();
        }
    }

    @Override
    public void commandFailed(CommandFailedEvent event) {
        alertWritesInFlight.remove(event.getRequestId());
    }
}
