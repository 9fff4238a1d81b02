/**
 * {@code multipart/form-data} (RFC 7578): the streaming parser behind {@code dev.porter.http.Multipart} and the
 * static-file uploads of {@code serve --upload}.
 */
package dev.porter.http.internal.multipart;
