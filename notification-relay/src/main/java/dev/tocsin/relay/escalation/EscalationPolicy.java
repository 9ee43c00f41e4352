package dev.tocsin.relay.escalation;

import dev.tocsin.protocol.alert.Priority;
import dev.tocsin.relay.config.RelayConfig;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The delivery plan per priority: the first delivery, then the configured escalation steps
 * ({@code tocsin.relay.escalation.<priority>} = list of {@code <target>:<delay>}). Parsed once at startup, so a
 * typo stops the relay instead of silently never escalating.
 */
@Singleton
public class EscalationPolicy {

    private static final Pattern DELAY = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final Map<Priority, List<Step>> plans = new EnumMap<>(Priority.class);

    public EscalationPolicy(RelayConfig config) {
        RelayConfig.Escalation escalation = config.escalation();
        plans.put(Priority.CRITICAL, plan(Priority.CRITICAL, escalation.critical()));
        plans.put(Priority.HIGH, plan(Priority.HIGH, escalation.high()));
        plans.put(Priority.MEDIUM, plan(Priority.MEDIUM, escalation.medium()));
        plans.put(Priority.LOW, plan(Priority.LOW, escalation.low()));
        plans.put(Priority.INFO, plan(Priority.INFO, escalation.info()));
        plans.forEach((priority, steps) -> {
            if (steps.size() > 1) {
                Log.infof("Escalation of %s alerts: %s", priority.wire(),
                        steps.subList(1, steps.size()).stream().map(Step::name).toList());
            }
        });
    }

    /** The steps for an alert of this priority, the first delivery first; never empty. */
    public List<Step> plan(Priority priority) {
        return plans.get(priority == null ? Priority.INFO : priority);
    }

    /** Every escalation step name configured (for pre-registered metrics). */
    public List<String> escalationStepNames() {
        return plans.values().stream().flatMap(List::stream).filter(Step::isEscalation).map(Step::name)
                .distinct().toList();
    }

    static List<Step> plan(Priority priority, List<String> specs) {
        List<Step> steps = new ArrayList<>();
        steps.add(Step.first());
        for (String raw : specs) {
            String spec = raw.trim().toLowerCase(Locale.ROOT);
            if (spec.isEmpty() || spec.equals("none")) {
                continue;
            }
            int colon = spec.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("tocsin.relay.escalation." + priority.wire() + ": step '" + raw
                        + "' is not <target>:<delay> (for example all:5m)");
            }
            StepTarget target = StepTarget.parse(spec.substring(0, colon));
            String delayText = spec.substring(colon + 1);
            Duration delay = parseDelay(delayText, priority);
            steps.add(new Step(steps.size(), target.wire() + "-" + delayText, target, delay));
        }
        return List.copyOf(steps);
    }

    static Duration parseDelay(String text, Priority priority) {
        Matcher m = DELAY.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("tocsin.relay.escalation." + priority.wire() + ": delay '" + text
                    + "' must be a number with ms, s, m, h or d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
