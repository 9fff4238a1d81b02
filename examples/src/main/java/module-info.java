/** Example conversations built on Porter's socket core: an echo service, a chat room, and the HTTP demo app. */
module dev.porter.examples {
    requires transitive dev.porter.core;
    requires transitive dev.porter.http;
    exports dev.porter.examples;
}
