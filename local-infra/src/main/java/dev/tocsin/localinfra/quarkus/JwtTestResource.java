package dev.tocsin.localinfra.quarkus;

import dev.tocsin.localinfra.DevJwt;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Makes the service verify tokens signed by {@link DevJwt#shared()}: tests mint real signed tokens with
 * {@code DevJwt.shared().token(user, groups...)}; nothing about authentication is mocked.
 */
public class JwtTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String location = DevJwt.shared().writePublicKeyPemToTemp().toUri().toString();
        return Map.of(
                "mp.jwt.verify.publickey.location", location,
                "mp.jwt.verify.issuer", DevJwt.ISSUER);
    }

    @Override
    public void stop() {
        // the key file is deleted on JVM exit
    }
}
