/**
 * Porter's socket core: the welcome socket ({@link dev.porter.core.Server}), one virtual thread per client
 * socket ({@link dev.porter.core.Connection}), conversation rules ({@link dev.porter.core.Protocol}) and the
 * client side ({@link dev.porter.core.Client}). Depends on nothing but the JDK.
 */
module dev.porter.core {
    // Protocols (Porter's HTTP module included) use the published contracts only: Connection, ReadBuffer,
    // WriteBuffer. The internals are exported to nobody.
    exports dev.porter.core;
}
