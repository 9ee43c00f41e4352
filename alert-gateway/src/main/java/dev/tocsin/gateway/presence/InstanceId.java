package dev.tocsin.gateway.presence;

import dev.tocsin.gateway.config.GatewayConfig;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The identity of this gateway replica in presence entries: configured, or host name plus a random suffix. */
@Singleton
public class InstanceId {

    private final String value;

    InstanceId(GatewayConfig config) {
        this.value = config.instanceId().filter(id -> !id.isBlank()).orElseGet(InstanceId::generate);
    }

    public String value() {
        return value;
    }

    private static String generate() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "gateway";
        }
        byte[] suffix = new byte[3];
        new SecureRandom().nextBytes(suffix);
        return host.replace('/', '_') + "-" + HexFormat.of().formatHex(suffix);
    }
}
