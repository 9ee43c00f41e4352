package dev.tocsin.gateway.heartbeat;

import java.time.Duration;

/**
 * The arithmetic of the heartbeat, apart from the timer that runs it: the timer fires every check period, a quarter
 * of the heartbeat interval; every {@value #CHECKS_PER_INTERVAL}th round is a beat (ping frame, {@code ping} message,
 * presence refresh), the others only check liveness. A connection from which nothing was heard for more than
 * {@linkplain #silenceLimitMs() two intervals} is silent, so it is closed between two and two and a quarter intervals
 * after the last frame heard ({@link #closeBoundMs()}), plus the timer's own lateness.
 */
public final class HeartbeatSchedule {

    /** Liveness checks per heartbeat interval. */
    public static final int CHECKS_PER_INTERVAL = 4;

    private final long intervalMs;
    private final long checkPeriodMs;

    public HeartbeatSchedule(Duration interval) {
        this.intervalMs = Math.max(1, interval.toMillis());
        this.checkPeriodMs = Math.max(1, intervalMs / CHECKS_PER_INTERVAL);
    }

    /** How often the timer fires: a quarter of the interval, in whole milliseconds (at least 1). */
    public long checkPeriodMs() {
        return checkPeriodMs;
    }

    /** Whether round {@code round} (counted from 0, one per check period) is a beat: every fourth, the first included. */
    public boolean beatsOn(long round) {
        return round % CHECKS_PER_INTERVAL == 0;
    }

    /** Silence longer than this closes the connection: two intervals. */
    public long silenceLimitMs() {
        return 2 * intervalMs;
    }

    /** Whether a connection last heard at {@code lastHeardMs} is silent at {@code nowMs} (both epoch milliseconds). */
    public boolean isSilent(long nowMs, long lastHeardMs) {
        return nowMs - lastHeardMs > silenceLimitMs();
    }

    /** Latest close of a silent connection after the last frame heard, timer lateness aside: 2.25 intervals. */
    public long closeBoundMs() {
        return silenceLimitMs() + checkPeriodMs;
    }
}
