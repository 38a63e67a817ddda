/* A shared library for dyn_dlopen.c: a constructor, an exported function and data, and
 * a call back into libc. Built with -shared -fPIC as libplugin.so. */
#include <stdio.h>

int plugin_loads;
const char plugin_name[] = "plugin";

__attribute__((constructor)) static void plugin_init(void) {
    plugin_loads++;
}

int plugin_add(int a, int b) {
    return a + b + plugin_loads * 1000;
}

void plugin_greet(const char *who) {
    printf("plugin says hello to %s\n", who);
}
