/**
 * Porter's socket core: the welcome socket ({@link dev.porter.core.Server}), one virtual thread per client
 * socket ({@link dev.porter.core.Connection}), conversation rules ({@link dev.porter.core.Protocol}) and the
 * client side ({@link dev.porter.core.Client}). Depends on nothing but the JDK.
 */
module dev.porter.core {
    exports dev.porter.core;
    // Porter's own HTTP module parses straight from the connection's buffers; nobody else sees the internals.
    exports dev.porter.core.internal to dev.porter.http;
}
