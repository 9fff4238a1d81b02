/**
 * Static files: safe mapping of request paths to files, representation choice (variants, validators, ranges) and
 * directory listings.
 */
package dev.porter.http.internal.files;
