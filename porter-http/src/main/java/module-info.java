/**
 * Porter's HTTP/1.1 server and client (RFC 9110, RFC 9112) on the socket core. Depends on nothing but
 * {@code dev.porter.core} and the JDK.
 */
module dev.porter.http {
    requires transitive dev.porter.core;
    // The status page's thread and heap figures (ThreadMXBean, MemoryMXBean): part of every JDK.
    requires java.management;
    exports dev.porter.http;
}
