/**
 * The HttpClient engine: routes, the connection pool, one HTTP/1.1 exchange, redirects and response decoding.
 */
package dev.porter.http.internal.client;
