package dev.porter.core.internal;

/** What a connection needs to know of the server that accepted it. Client connections have none. */
public interface ConnectionOwner {

    /** @return true once a graceful stop began: idle waits end at once, protocols should finish up */
    boolean draining();
}
