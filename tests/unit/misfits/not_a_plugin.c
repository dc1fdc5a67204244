/* A shared library that is not a Ferry plugin at all: no entry symbol, just some function. */
__attribute__((visibility("default"))) int not_a_plugin_add(int a, int b) { return a + b; }
