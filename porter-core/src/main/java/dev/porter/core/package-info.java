/**
 * Porter's socket core, named after the seed's concepts: {@link dev.porter.core.Server} is the welcome socket,
 * {@link dev.porter.core.Connection} a client socket, {@link dev.porter.core.Protocol} the rules of the
 * conversation, and {@link dev.porter.core.Client} the connecting side.
 */
package dev.porter.core;
