package dev.tocsin.relay.escalation;

import java.time.Duration;

/**
 * One step of an alert's delivery plan: step 0 is the first delivery ({@code offline}); later ones are escalations.
 *
 * @param index position in the plan (part of the schedule member, so a step runs once)
 * @param name  stable name used in delivery records, dedup keys and metrics, e.g. {@code offline}, {@code all-5m}
 * @param delay when it is due, counted from the alert's creation
 */
public record Step(int index, String name, StepTarget target, Duration delay) {

    public static final String OFFLINE = "offline";
    /** Names of follow-up steps: {@code follow-up:resolved}, {@code follow-up:retracted}. */
    public static final String FOLLOW_UP_PREFIX = "follow-up:";
    /** Index of follow-up steps in their due-set member (they are not part of the plan). */
    static final int FOLLOW_UP_INDEX = 99;
    /** Names of assignment steps: {@code assigned:v<alert version>}. */
    public static final String ASSIGNED_PREFIX = "assigned:";
    /** Index of assignment steps in their due-set member (they are not part of the plan). */
    static final int ASSIGNMENT_INDEX = 98;

    public static Step first() {
        return new Step(0, OFFLINE, StepTarget.OFFLINE, Duration.ZERO);
    }

    /** The follow-up step telling pushed users that the alert is over, e.g. {@code follow-up:resolved}. */
    public static Step followUp(String outcome) {
        return new Step(FOLLOW_UP_INDEX, FOLLOW_UP_PREFIX + outcome, StepTarget.FOLLOW_UP, Duration.ZERO);
    }

    /**
     * The push telling an alert's new assignee (a user, or the members of a group) who has no live session that the
     * alert is theirs; one per assignment, named by the alert version the assignment made.
     */
    public static Step assignment(long version) {
        return new Step(ASSIGNMENT_INDEX, ASSIGNED_PREFIX + "v" + version, StepTarget.ASSIGNEE, Duration.ZERO);
    }

    public boolean isEscalation() {
        return target != StepTarget.OFFLINE && target != StepTarget.FOLLOW_UP && target != StepTarget.ASSIGNEE;
    }

    public boolean isAssignment() {
        return target == StepTarget.ASSIGNEE;
    }

    public boolean isFollowUp() {
        return target == StepTarget.FOLLOW_UP;
    }

    /**
     * This escalation step in a later round (escalation started again by an edit to critical or an
     * un-acknowledgment): the name gets {@code @<round>}, so its deliveries are new ones (the first round's are done)
     * and its delivery records are kept apart. Round 1 is the step itself.
     */
    public Step inRound(long round) {
        return round <= 1 ? this : new Step(index, name + "@" + round, target, delay);
    }

    /** The configured step name without its round ({@code all-5m@2} → {@code all-5m}), for metrics. */
    public String baseName() {
        int at = name.indexOf('@');
        return at < 0 ? name : name.substring(0, at);
    }

    /** The member of the due set: {@code <alertId>|<index>|<name>}. */
    public String member(String alertId) {
        return alertId + "|" + index + "|" + name;
    }

    /** Reads a due-set member back; null when it is not one of ours. */
    public static Parsed parse(String member) {
        int last = member.lastIndexOf('|');
        int middle = last <= 0 ? -1 : member.lastIndexOf('|', last - 1);
        if (middle <= 0) {
            return null;
        }
        try {
            String alertId = member.substring(0, middle);
            int index = Integer.parseInt(member.substring(middle + 1, last));
            String name = member.substring(last + 1);
            StepTarget target;
            if (name.equals(OFFLINE)) {
                target = StepTarget.OFFLINE;
            } else if (name.startsWith(FOLLOW_UP_PREFIX)) {
                target = StepTarget.FOLLOW_UP;
            } else if (name.startsWith(ASSIGNED_PREFIX)) {
                target = StepTarget.ASSIGNEE;
            } else {
                int dash = name.indexOf('-');
                target = StepTarget.parse(dash < 0 ? name : name.substring(0, dash));
            }
            return new Parsed(alertId, new Step(index, name, target, Duration.ZERO));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A due-set member: the alert and the step (its delay is not needed any more once it is due). */
    public record Parsed(String alertId, Step step) {
    }
}
