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

    public static Step first() {
        return new Step(0, OFFLINE, StepTarget.OFFLINE, Duration.ZERO);
    }

    public boolean isEscalation() {
        return target != StepTarget.OFFLINE;
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
