package dev.tocsin.ingest.user.service;

import dev.tocsin.ingest.common.problem.ForbiddenProblemException;
import dev.tocsin.ingest.common.security.Caller;
import dev.tocsin.ingest.common.time.StoreTime;
import dev.tocsin.ingest.user.repository.UserChannelsRepository;
import dev.tocsin.protocol.user.ContactChannels;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Users manage their own contact channels; admins manage anyone's. Groups decide group audiences and escalation
 * rotas, so only admins may change them.
 */
@ApplicationScoped
public class UserChannelsService {

    private final UserChannelsRepository repository;

    public UserChannelsService(UserChannelsRepository repository) {
        this.repository = repository;
    }

    public Optional<ContactChannels> get(String userId, Caller caller) {
        requireAccess(userId, caller);
        return repository.find(userId);
    }

    public ContactChannels put(String userId, ContactChannelsUpdate update, Caller caller) {
        requireAccess(userId, caller);
        Optional<ContactChannels> stored = repository.find(userId);
        Set<String> storedGroups = stored.map(ContactChannels::groups).orElse(Set.of());
        Set<String> groups = storedGroups;
        if (update.groups() != null) {
            // Sending the stored groups back unchanged is fine (read-modify-write clients); changing them is not.
            if (!caller.isAdmin() && !Set.copyOf(update.groups()).equals(storedGroups)) {
                throw new ForbiddenProblemException("only admins may change a user's groups");
            }
            groups = update.groups();
        }
        // Repeated tokens would mean repeated pushes to one device.
        var tokens = update.fcmTokens() == null ? new ArrayList<String>() : new ArrayList<>(new LinkedHashSet<>(update.fcmTokens()));
        ContactChannels channels = new ContactChannels(userId, update.telegramChatId(), tokens, update.minPriority(),
                update.quietHours(), groups, StoreTime.now());
        repository.save(channels);
        Log.infof("contact channels of %s saved by %s", userId, caller.user());
        return channels;
    }

    public void delete(String userId, Caller caller) {
        requireAccess(userId, caller);
        if (repository.delete(userId)) {
            Log.infof("contact channels of %s deleted by %s", userId, caller.user());
        }
    }

    private static void requireAccess(String userId, Caller caller) {
        if (!caller.isAdmin() && !userId.equals(caller.user())) {
            throw new ForbiddenProblemException("you may only manage your own contact channels");
        }
    }
}
