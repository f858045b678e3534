package dev.rowcast.chat.security;

import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;

/**
 * DEMO ONLY: four fixed users whose password is their name. A real application plugs in its own identity store
 * (database, LDAP) and the rest of the chat works unchanged.
 */
@ApplicationScoped
public class DemoIdentityStore implements IdentityStore {

    private static final Map<String, Set<String>> USERS = Map.of(
            "alice", Set.of(Roles.USER),
            "bob", Set.of(Roles.USER),
            "eve", Set.of(Roles.USER),
            "admin", Set.of(Roles.ADMIN));

    /** Whether a user of that name exists: adding anyone else to a conversation is refused. */
    public boolean exists(String user) {
        return USERS.containsKey(user);
    }

    public CredentialValidationResult validate(UsernamePasswordCredential credential) {
        Set<String> groups = USERS.get(credential.getCaller());
        if (groups == null || !credential.getPasswordAsString().equals(credential.getCaller())) {
            return CredentialValidationResult.INVALID_RESULT;
        }
        return new CredentialValidationResult(credential.getCaller(), groups);
    }
}
