/** Porter's HTTP/1.1 server and client: the seed's canonical conversation, a browser talking to a web server. */
package dev.porter.http;
