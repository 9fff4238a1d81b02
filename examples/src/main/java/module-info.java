/** Example conversations built on Porter's socket core: an echo service and a chat room. */
module dev.porter.examples {
    requires transitive dev.porter.core;
    exports dev.porter.examples;
}
