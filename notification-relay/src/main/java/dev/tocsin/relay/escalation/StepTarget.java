package dev.tocsin.relay.escalation;

import java.util.Locale;

/** Who a step reaches and through which channels. */
public enum StepTarget {
    /** The first delivery: the alert's recipients without a live session, on every channel. */
    OFFLINE(true, true),
    /** The alert's recipients, online or not, on every channel. */
    ALL(true, true),
    /** The alert's recipients, online or not, on Telegram only. */
    TELEGRAM(true, false),
    /** The alert's recipients, online or not, on FCM only. */
    FCM(false, true),
    /** The members of the alert's escalationGroup, on every channel. */
    GROUP(true, true),
    /**
     * The one message that tells the users who were pushed an alert that it was resolved or retracted, on the
     * channels they were pushed on. Not configurable as an escalation step.
     */
    FOLLOW_UP(true, true),
    /**
     * The alert's assignee right after an assignment, when it has no live session: the user, or each member of the
     * group, on every channel. Not configurable as an escalation step.
     */
    ASSIGNEE(true, true);

    private final boolean telegram;
    private final boolean fcm;

    StepTarget(boolean telegram, boolean fcm) {
        this.telegram = telegram;
        this.fcm = fcm;
    }

    public boolean usesTelegram() {
        return telegram;
    }

    public boolean usesFcm() {
        return fcm;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static StepTarget parse(String text) {
        for (StepTarget target : values()) {
            if (target != OFFLINE && target != FOLLOW_UP && target != ASSIGNEE && target.wire().equals(text)) {
                return target;
            }
        }
        throw new IllegalArgumentException("unknown escalation target '" + text
                + "', expected one of all, telegram, fcm, group");
    }
}
