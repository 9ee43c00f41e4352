package dev.tocsin.relay.dispatch;

import dev.tocsin.protocol.alert.Alert;
import dev.tocsin.protocol.alert.AlertChange;
import dev.tocsin.protocol.alert.AlertStatus;
import dev.tocsin.protocol.alert.Assignee;
import dev.tocsin.protocol.alert.Audience;
import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.protocol.event.ChangeOp;
import dev.tocsin.relay.support.Relay;
import dev.tocsin.relay.support.RelayTest;
import dev.tocsin.relay.support.RelayTestBase;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An assignment pushes the new assignee once when they have no live session (a user, or each member of a group),
 * saying it is theirs; an online assignee, an unassignment and a redelivered event push nothing more.
 */
@QuarkusTest
@RelayTest
class AssignmentPushTest extends RelayTestBase {

    @Test
    void anOfflineAssigneeIsPushedOnceAndAnOnlineOneNot() {
        String viewer = Relay.unique("u");
        String assignee = Relay.unique("u");
        String chat = Relay.unique("chat");
        String token = Relay.unique("tok");
        String other = Relay.unique("u");
        String otherChat = Relay.unique("chat");
        relay.user(assignee, chat, List.of(token));
        relay.user(other, otherChat, List.of());
        relay.online(other);
        relay.online(viewer); // the alert's audience is online: its first step pushes nobody
        Alert alert = Relay.versioned(Relay.alert(Priority.HIGH, Audience.of(List.of(viewer), List.of()), null));
        relay.created(alert);
        await().atMost(Relay.DEADLINE).until(() -> relay.pendingSteps(alert.id()) == 0);
        assertEquals(0, relay.telegramRequests(chat));

        String assigned = Relay.event(ChangeOp.UPDATED, assigned(alert, 2, Assignee.user(assignee), "oscar"));
        relay.append(assigned);
        await().atMost(Relay.DEADLINE).until(() -> relay.telegramSent(chat) == 1 && relay.fcmSent(token) == 1);
        String text = relay.telegramTexts(chat).get(0);
        assertTrue(text.startsWith("<b>Assigned to you</b> by oscar\n<b>[HIGH] River"), text);
        assertEquals("Assigned to you: River <b>level</b> & rising", relay.fcmMessages(token).get(0).path("title").asText());

        relay.append(assigned); // redelivered: planned once per assignment
        // an online assignee is not pushed (the skip is recorded)
        relay.append(Relay.event(ChangeOp.UPDATED, assigned(alert, 3, Assignee.user(other), "oscar")));
        await().atMost(Relay.DEADLINE).until(() -> relay.records(alert.id()).stream().anyMatch(r ->
                r.user().equals(other) && "assigned:v3".equals(r.step()) && "online".equals(r.detail())));
        // taking the assignment back pushes nobody
        relay.append(Relay.event(ChangeOp.UPDATED, assigned(alert, 4, null, "oscar")));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(8)).until(() -> relay.groupPending() == 0
                && relay.pendingSteps(alert.id()) == 0
                && relay.telegramRequests(chat) == 1 && relay.fcmRequests(token) == 1
                && relay.telegramRequests(otherChat) == 0);
    }

    @Test
    void aGroupAssignmentPushesItsOfflineMembers() {
        String group = Relay.unique("team");
        String member = Relay.unique("u");
        String memberChat = Relay.unique("chat");
        relay.user(member, memberChat, List.of());
        relay.updateUser(member, "groups", List.of(group));
        String viewer = Relay.unique("u");
        relay.online(viewer);
        Alert alert = Relay.versioned(Relay.alert(Priority.HIGH, Audience.of(List.of(viewer), List.of()), null));
        relay.created(alert);
        await().atMost(Relay.DEADLINE).until(() -> relay.pendingSteps(alert.id()) == 0);

        relay.append(Relay.event(ChangeOp.UPDATED, assigned(alert, 2, Assignee.group(group), "oscar")));
        await().atMost(Relay.DEADLINE).until(() -> relay.telegramSent(memberChat) == 1);
        assertTrue(relay.telegramTexts(memberChat).get(0).startsWith("<b>Assigned to your group " + group + "</b>"),
                relay.telegramTexts(memberChat).get(0));
    }

    /** The alert as ingest publishes an assignment (or, with {@code to} null, its withdrawal) that made {@code version}. */
    private static Alert assigned(Alert a, long version, Assignee to, String by) {
        Instant now = Instant.now();
        return new Alert(a.id(), a.priority(), a.type(), a.title(), a.message(), a.source(), a.location(),
                a.riskScore(), a.confidence(), a.affectedPopulation(), a.actionRequired(), a.actionUrl(), a.expiresAt(),
                a.createdAt(), now, a.audience(), a.metadata(), AlertStatus.ACTIVE, null, null, null, null,
                AlertChange.ASSIGNED, a.escalationGroup(), version, null, null, null, to, by, now, 0);
    }
}
